import { RandwireError } from '../core/errors.js';
import { LATEST_SEEDING } from '../core/rng.js';
import { mergeConfigFile, type TrainConfig } from '../experiment/config.js';
import { trainRun } from '../experiment/run.js';
import type { RunOutcome } from '../experiment/pause.js';
import type { EpochMetrics } from '../train/state.js';
import type { TrainEvent } from '../train/trainer.js';

/** Training settings as a script gives them: any of them, merged over the defaults (model settings key by key). */
export type TrainSettings = Partial<Omit<TrainConfig, 'model'>> & { model?: Partial<TrainConfig['model']> };

export interface TrainOptions {
  /** The run folder: config.json, metrics.jsonl, checkpoint/, then model/ and summary.json (as `randwire train --out`). */
  out: string;
  /** Continue the run in `out` from its checkpoint; its config.json rules. */
  resume?: boolean;
  /** Pause after this epoch of the full schedule; `resume` continues it exactly as an uninterrupted run. */
  stopAfterEpoch?: number;
  /** Called after each epoch with its metrics (validation accuracy when the config holds out a validation split). */
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Every training event: epoch starts, batches (loss, accuracy, images/s), epoch ends. */
  onEvent?: (event: TrainEvent) => void;
  /** Aborting stops the training after the current batch with a checkpoint; the outcome is then `stopped`, and `resume` continues it. */
  signal?: AbortSignal;
  /** Notes a person would want (a checkpoint skipped, a graph not drawn); silent by default. */
  log?: (line: string) => void;
}

/**
 * Train one model into a run folder, as `randwire train` does, and say how it ended: `finished`
 * with the summary (test accuracy, loss, epochs, seconds), `paused` at `stopAfterEpoch`, or
 * `stopped` by the signal. Settings are validated first: a mistake (an unknown setting, a value out
 * of range, a folder that already holds a run) throws a RandwireError naming every problem.
 *
 *   const r = await train({ model: { model: 'randwire', nodes: 8, channels: 8 }, epochs: 1 }, { out: 'runs/rw' });
 *   if (r.kind === 'finished') console.log(r.summary.testAccuracy);
 */
export async function train(settings: TrainSettings, o: TrainOptions): Promise<RunOutcome> {
  if (typeof o?.out !== 'string' || o.out === '') throw new RandwireError('config', 'train needs { out: "a run folder" }');
  const config = mergeConfigFile({ seeding: LATEST_SEEDING, ...settings }, 'train settings');
  const onEvent = (e: TrainEvent): void => {
    o.onEvent?.(e);
    if (e.type === 'epochEnd') o.onEpoch?.(e.metrics);
  };
  return trainRun(config, o.out, {
    ...(o.resume ? { resume: true } : {}),
    ...(o.stopAfterEpoch !== undefined ? { stopAfterEpoch: o.stopAfterEpoch } : {}),
    onEvent,
    shouldStop: () => o.signal?.aborted ?? false,
    log: o.log ?? (() => {}),
  });
}
