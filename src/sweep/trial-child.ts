import { createInterface, type Interface } from 'node:readline';
import { trainRun } from '../experiment/run.js';
import { RandwireError } from '../core/errors.js';
import type { TrainEvent } from '../train/trainer.js';
import type { EpochMetrics } from '../train/state.js';
import { lockTrialFolder } from './trial-lock.js';
import { parseTrialConfigLine } from './trial-check.js';

/** What a trial process says to its coordinator, one JSON object per stdout line. */
export type TrialMessage =
  { type: 'progress'; epoch: number; batch: number; batches: number } | { type: 'epoch'; metrics: EpochMetrics } | { type: 'paused'; epoch: number };

const PROGRESS_EVERY_MS = 2000;
/** Exit code of a trial process whose coordinator went away: it stopped unsupervised, unfinished. */
export const ORPHANED_EXIT_CODE = 137;

const firstLine = (lines: Interface): Promise<string | undefined> =>
  new Promise((resolve) => {
    lines.once('line', resolve);
    lines.once('close', () => resolve(undefined));
  });

/**
 * One trial in its own process (own wasm heap, own threads): its config arrives as the first line
 * on stdin, and the end of stdin means the coordinator died, so the trial stops at once and never
 * trains on unsupervised (a new coordinator resumes it from its last epoch checkpoint). Whatever
 * happens, stdin is let go before this returns or throws: an open stdin kept a failed trial
 * process alive, and its coordinator waited for it forever. With `stopAfterEpoch` (a rung), the
 * trial pauses after that epoch and exits 0 without summary.json.
 */
export async function runTrialChild(dir: string, stopAfterEpoch?: number): Promise<number> {
  const lines = createInterface({ input: process.stdin });
  try {
    const first = await firstLine(lines);
    if (first === undefined) throw new RandwireError('sweep', 'no trial config arrived on stdin');
    lines.on('close', () => process.exit(ORPHANED_EXIT_CODE));
    const config = parseTrialConfigLine(first);
    const release = lockTrialFolder(dir);
    try {
      const say = (m: TrialMessage): void => void process.stdout.write(JSON.stringify(m) + '\n');
      let stop = false;
      process.on('SIGINT', () => (stop = true));
      let last = 0;
      const onEvent = (e: TrainEvent): void => {
        if (e.type === 'epochEnd') say({ type: 'epoch', metrics: e.metrics });
        if (e.type === 'batch' && Date.now() - last > PROGRESS_EVERY_MS) {
          last = Date.now();
          say({ type: 'progress', epoch: e.epoch, batch: e.batch, batches: e.batches });
        }
      };
      const outcome = await trainRun(config, dir, {
        resume: true,
        stopAfterEpoch,
        onEvent,
        shouldStop: () => stop,
        log: (l) => process.stderr.write(l + '\n'),
      });
      if (outcome.kind === 'paused') say({ type: 'paused', epoch: outcome.epoch });
      // Paused as asked is success: the coordinator reads the rung's metrics from the folder.
      return outcome.kind === 'stopped' ? 130 : 0;
    } finally {
      release();
    }
  } finally {
    lines.removeAllListeners('close');
    lines.close();
    process.stdin.destroy();
  }
}
