import { SingleBar, Presets } from 'cli-progress';
import type { TrainEvent } from '../train/trainer.js';

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);

/** Training progress: a live bar on a terminal, plain lines otherwise (logs, CI). */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): (e: TrainEvent) => void {
  const tty = Boolean(stream.isTTY);
  let bar: SingleBar | undefined;
  let every = 1;
  return (e) => {
    switch (e.type) {
      case 'epochStart':
        every = Math.max(1, Math.floor(e.batches / 10));
        if (tty) {
          bar = new SingleBar(
            {
              format: `${label} epoch ${e.epoch + 1}/${e.epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc} | {ips} img/s | eta {eta_formatted}`,
              stream,
              hideCursor: true,
              clearOnComplete: true,
            },
            Presets.shades_classic,
          );
          bar.start(e.batches, 0, { loss: '-', acc: '-', ips: '-' });
        }
        break;
      case 'batch':
        if (bar) bar.update(e.batch, { loss: e.loss.toFixed(4), acc: pct(e.accuracy), ips: e.imagesPerSec.toFixed(0) });
        else if (e.batch % every === 0 || e.batch === e.batches) {
          stream.write(
            `${label} epoch ${e.epoch + 1} batch ${e.batch}/${e.batches} loss ${e.loss.toFixed(4)} acc ${pct(e.accuracy)} ${e.imagesPerSec.toFixed(1)} img/s\n`,
          );
        }
        break;
      case 'epochEnd': {
        bar?.stop();
        bar = undefined;
        const m = e.metrics;
        stream.write(
          `${label} epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(4)} acc ${pct(m.trainAccuracy)} | val loss ${m.valLoss === null ? '-' : m.valLoss.toFixed(4)} acc ${pct(m.valAccuracy)} | lr ${m.lr.toPrecision(3)} | ${m.seconds.toFixed(1)} s, ${m.imagesPerSec.toFixed(1)} img/s\n`,
        );
        break;
      }
      case 'stopped':
        bar?.stop();
        bar = undefined;
        stream.write(
          `${label} stopped at epoch ${e.epoch + (e.batch ? 1 : 0)}${e.batch ? `, batch ${e.batch}` : ''}; checkpoint saved (continue with --resume)\n`,
        );
        break;
    }
  };
}

/** First Ctrl-C: stop at the next safe point with a checkpoint. Second: leave at once. */
export function interruptFlag(): { stop: () => boolean; dispose: () => void } {
  let requested = false;
  const handler = (): void => {
    if (requested) {
      process.stderr.write('stopping now, without a new checkpoint\n');
      process.exit(130);
    }
    requested = true;
    process.stderr.write('\nstopping after this batch and saving a checkpoint (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: () => requested,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
