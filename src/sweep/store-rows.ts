import type { GRAPH_STAT_COLUMNS } from './graph-stat-columns.js';

/**
 * The rows of a sweep's store as the library hands them out, apart from the store (store.ts), so
 * that a public type naming them does not reach SQLite's driver or its types.
 */
export const TRIAL_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

export interface TrialRow {
  id: string;
  position: number;
  cell: string;
  family: string;
  model: string;
  generator: string | null;
  params: string;
  nodes: number;
  channels: number;
  graph_seed: number;
  train_seed: number;
  seed: number;
  model_params: number;
  multiply_adds: number;
  graph_hashes: string;
  same_graphs_as: string | null;
  out_of_budget: number;
  config: string;
  status: TrialStatus;
  attempts: number;
  error: string | null;
  worker_pid: number | null;
  worker_host: string | null;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
  test_accuracy: number | null;
  test_loss: number | null;
  val_accuracy: number | null;
  val_loss: number | null;
  epochs: number | null;
  seconds: number | null;
  images_per_sec: number | null;
}

export type EpochRow = {
  trial_id: string;
  epoch: number;
  train_loss: number;
  train_accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  lr: number;
  seconds: number;
  images_per_sec: number;
};
export type GraphStatRow = { trial_id: string; stage: number } & Record<keyof typeof GRAPH_STAT_COLUMNS, number | null>;

/** What a spent search budget left untrained (`sweep status`). */
export interface BudgetState {
  /** `budget spent: ...`, as the run that stopped on it said. */
  line: string;
  /** Trials of the sweep never trained because the budget was spent (queued, no epoch stored). */
  notTrained: string[];
}
