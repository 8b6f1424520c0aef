import type { EpochRow, GraphStatRow, SweepStore, TrialRow } from './store.js';
import { GRAPH_STAT_COLUMNS, GRAPH_STAT_KEYS, type GraphStatKey } from './graph-stat-columns.js';
import type { SweepPlan } from './plan.js';
import { sweepTrialIds } from './added-trials.js';

export { GRAPH_STAT_KEYS, type GraphStatKey };

/** A finished trial with its numbers and its graphs' statistics (mean over stages). */
export interface TrialResult {
  id: string;
  position: number;
  cell: string;
  family: string;
  model: string;
  params: Record<string, number>;
  nodes: number;
  channels: number;
  graphSeed: number;
  trainSeed: number;
  seed: number;
  modelParams: number;
  multiplyAdds: number;
  graphHashes: string;
  sameGraphsAs: string | null;
  outOfBudget: boolean;
  testAccuracy: number;
  testLoss: number;
  valAccuracy: number | null;
  valLoss: number | null;
  epochs: number;
  seconds: number;
  imagesPerSec: number;
  attempts: number;
  graph: Record<GraphStatKey, number | null>;
  history: EpochRow[];
}

export interface SweepResults {
  name: string;
  /** Cell labels in the plan's order. */
  cells: string[];
  trials: TrialResult[];
  /** Trials of the plan (and its search) not done yet. */
  pending: number;
}

/** Each graph statistic averaged over a trial's stages (null where a stage lacks it). */
export function meanOverStages(rows: GraphStatRow[]): Record<GraphStatKey, number | null> {
  return Object.fromEntries(
    (Object.entries(GRAPH_STAT_COLUMNS) as Array<[keyof typeof GRAPH_STAT_COLUMNS, GraphStatKey]>).map(([col, k]) => {
      const v = rows.map((r) => r[col]).filter((x): x is number => x !== null && Number.isFinite(x));
      return [k, v.length === rows.length && v.length ? v.reduce((a, b) => a + b, 0) / v.length : null];
    }),
  ) as Record<GraphStatKey, number | null>;
}

/** The finished trials of the current plan and of its search, joined with their epochs and graph statistics. */
export function collectResults(plan: SweepPlan, store: SweepStore): SweepResults {
  const rows = store.trials(sweepTrialIds(plan, store));
  const stats = new Map<string, GraphStatRow[]>();
  for (const s of store.graphStats()) stats.set(s.trial_id, [...(stats.get(s.trial_id) ?? []), s]);
  const epochs = new Map<string, EpochRow[]>();
  for (const e of store.epochs()) epochs.set(e.trial_id, [...(epochs.get(e.trial_id) ?? []), e]);
  const done = rows.filter(
    (r): r is TrialRow & { test_accuracy: number; test_loss: number } => r.status === 'done' && r.test_accuracy !== null && r.test_loss !== null,
  );
  return {
    name: plan.spec.name,
    // The plan's cells, then those of trials a search added (children, retrains).
    cells: [...new Set([...plan.cells.map((c) => c.label), ...rows.map((r) => r.cell)])],
    pending: rows.length - done.length,
    trials: done.map((r) => ({
      id: r.id,
      position: r.position,
      cell: r.cell,
      family: r.family,
      model: r.model,
      params: JSON.parse(r.params) as Record<string, number>,
      nodes: r.nodes,
      channels: r.channels,
      graphSeed: r.graph_seed,
      trainSeed: r.train_seed,
      seed: r.seed,
      modelParams: r.model_params,
      multiplyAdds: r.multiply_adds,
      graphHashes: r.graph_hashes,
      sameGraphsAs: r.same_graphs_as,
      outOfBudget: r.out_of_budget === 1,
      testAccuracy: r.test_accuracy,
      testLoss: r.test_loss,
      valAccuracy: r.val_accuracy,
      valLoss: r.val_loss,
      epochs: r.epochs ?? 0,
      seconds: r.seconds ?? 0,
      imagesPerSec: r.images_per_sec ?? 0,
      attempts: r.attempts,
      graph:
        r.model === 'randwire'
          ? meanOverStages(stats.get(r.id) ?? [])
          : (Object.fromEntries(GRAPH_STAT_KEYS.map((k) => [k, null])) as Record<GraphStatKey, null>),
      history: epochs.get(r.id) ?? [],
    })),
  };
}
