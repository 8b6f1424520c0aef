import { RandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import type { EpochMetrics, TrainState } from '../train/state.js';
import type { RunSummary } from './run-files.js';

/**
 * How a call of trainRun ended. `paused`: stopped as asked after epoch `epoch` of its schedule
 * (a rung of successive halving), with that epoch's checkpoint and metrics written and neither
 * model/ nor summary.json; a later resume continues it as if it had never stopped. `stopped`:
 * interrupted (Ctrl-C, a coordinator's SIGINT), resumable from its last checkpoint.
 */
export type RunOutcome =
  { kind: 'finished'; summary: RunSummary } | { kind: 'paused'; epoch: number; epochs: number; metrics: EpochMetrics } | { kind: 'stopped' };

/** A stop epoch must be one the run's schedule reaches (config.epochs is the whole budget). */
export function checkStopAfterEpoch(stopAfterEpoch: number | undefined, epochs: number): void {
  if (stopAfterEpoch === undefined) return;
  if (!Number.isInteger(stopAfterEpoch) || stopAfterEpoch < 1 || stopAfterEpoch > epochs) {
    throw new RandwireError('run', `cannot stop after epoch ${stopAfterEpoch}: the run trains epochs 1 to ${epochs}`);
  }
}

/** Training only goes forward: a stop epoch below what the run has trained is refused. */
export function checkNotBehind(stopAfterEpoch: number | undefined, trained: Pick<TrainState, 'epoch' | 'batch'>, dir: string): void {
  if (stopAfterEpoch === undefined) return;
  const past = trained.epoch > stopAfterEpoch || (trained.epoch === stopAfterEpoch && trained.batch > 0);
  if (!past) return;
  const batches = trained.batch > 0 ? ` and ${plural(trained.batch, 'batch', 'batches')} of epoch ${trained.epoch + 1}` : '';
  throw new RandwireError(
    'run',
    `cannot stop after epoch ${stopAfterEpoch}: ${dir} has trained ${plural(trained.epoch, 'epoch')}${batches} already, and a run cannot go back`,
  );
}

/** The outcome of a run that stands paused at `epoch` (its checkpoint's), for a request it already meets. */
export function pausedAt(state: TrainState, epochs: number): RunOutcome {
  return { kind: 'paused', epoch: state.epoch, epochs, metrics: state.history[state.epoch - 1]! };
}
