import { createInterface } from 'node:readline';
import { trainRun } from '../experiment/run.js';
import { validateTrainConfig } from '../experiment/config.js';
import type { TrainEvent } from '../train/trainer.js';
import type { EpochMetrics } from '../train/state.js';
import { lockTrialFolder } from './trial-lock.js';

/** What a trial process says to its coordinator, one JSON object per stdout line. */
export type TrialMessage =
  | { type: 'progress'; epoch: number; batch: number; batches: number }
  | { type: 'epoch'; metrics: EpochMetrics };

const PROGRESS_EVERY_MS = 2000;

/**
 * One trial in its own process (own wasm heap, own threads): its config arrives as the first line
 * on stdin, and the end of stdin means the coordinator died, so the trial stops at once and never
 * trains on unsupervised (a new coordinator resumes it from its last epoch checkpoint).
 */
export async function runTrialChild(dir: string): Promise<number> {
  const lines = createInterface({ input: process.stdin });
  const first = await new Promise<string | undefined>((resolve) => {
    lines.once('line', resolve);
    lines.once('close', () => resolve(undefined));
  });
  if (first === undefined) return 1;
  lines.on('close', () => process.exit(137));
  const config = validateTrainConfig(JSON.parse(first));
  const release = lockTrialFolder(dir);
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
  const summary = await trainRun(config, dir, { resume: true, onEvent, shouldStop: () => stop, log: (l) => process.stderr.write(l + '\n') });
  lines.removeAllListeners('close');
  lines.close();
  release();
  return summary ? 0 : 130;
}
