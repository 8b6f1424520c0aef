import type { RunSummary } from '../experiment/run-files.js';
import type { EpochMetrics } from '../train/state.js';
import type { PlannedTrial } from './plan.js';

/**
 * What the search coordinators (halving-run.ts, evolution-run.ts) ask of a trainer, and what they
 * share: one action, train a trial to an epoch of its schedule, whether the trainer is a process
 * on this machine (halving-trainer.ts) or a queue of workers (queue/rung-trainer.ts).
 */

/** How training a trial towards a rung ended. */
export type RungOutcome =
  | { kind: 'paused'; epoch: number; validationAccuracy: number | null; history: EpochMetrics[] }
  | { kind: 'done'; summary: RunSummary; history: EpochMetrics[] }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: string };

export interface RungJob {
  /** The trial process's pid (for the store and for ending an orphan), if known. */
  pid: number | null;
  /** Ask the job to stop at a checkpoint (Ctrl-C): its outcome becomes `stopped`. */
  cancel(): void;
  outcome: Promise<RungOutcome>;
  /** The job waits for a worker (a queue): the trainer marks the trial running when one takes it, not the coordinator now. */
  startsLater?: boolean;
}

/**
 * Train trial `t`, whose config.epochs is the search's maximum budget, until epoch `stopEpoch` of
 * that schedule, continuing from its checkpoint; pause there (outcome `paused`, with that epoch's
 * validation accuracy), or finish (`done`) when stopEpoch is its last epoch. Never from scratch in
 * place of a checkpoint: a trial continued to the top rung equals an uninterrupted run.
 */
export type TrainToEpoch = (t: PlannedTrial, stopEpoch: number, onEpoch: (m: EpochMetrics) => void) => RungJob;

/** How a search coordinator runs, whatever its strategy. */
export interface SearchRunOptions {
  workers: number;
  /** New attempts of a failed job in this run; after them the trial has failed for good (it ranks last, never wins a tournament). */
  retries: number;
  log: (line: string) => void;
  shouldStop?: () => boolean;
  trainTo: TrainToEpoch;
}

/** What every search coordinator's run reports. */
export interface SearchRunResult {
  /** Jobs that ended paused or done in this run. */
  trained: number;
  failed: string[];
  stopped: boolean;
}
