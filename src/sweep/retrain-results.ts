import { describe } from '../analysis/describe.js';
import { origins, sweepTrialIds } from './added-trials.js';
import type { SweepResults } from './collect.js';
import type { SweepPlan } from './plan.js';
import { retrainOrigins, selectForRetrain } from './retrain.js';
import type { SweepStore } from './store.js';

/** One retrained trial: what it was selected on (one run), and its retrains' test accuracy. */
export interface RetrainResult {
  /** Its rank by validation accuracy among the sweep's finished trials now; null if it left the plan. */
  rank: number | null;
  originalId: string;
  originalCell: string;
  /** The validation accuracy it was selected on, as stored with its retrains. */
  selectedValAccuracy: number;
  /** The cell its retrains are in. */
  cell: string;
  /** Retrains asked for (seed indices added so far). */
  seeds: number;
  /** Retrains finished, and their test accuracies in seed-index order. */
  testAccuracies: number[];
  mean: number | null;
  /** Sample std (n - 1); null below 2 finished retrains. */
  std: number | null;
}

/** Every retrained trial of the sweep with its retrains' results, best rank first. */
export function retrainResults(plan: SweepPlan, store: SweepStore): RetrainResult[] {
  const retrains = retrainOrigins(origins(store));
  if (!retrains.length) return [];
  const retrainIds = new Set(retrains.map((o) => o.trialId));
  const sweepRows = store.trials(sweepTrialIds(plan, store));
  const rows = new Map(sweepRows.map((r) => [r.id, r]));
  const rankOf = new Map(selectForRetrain(sweepRows, retrainIds, Number.POSITIVE_INFINITY).candidates.map((c) => [c.row.id, c.rank]));
  const byOriginal = new Map<string, typeof retrains>();
  for (const o of retrains) if (o.parentId !== null) byOriginal.set(o.parentId, [...(byOriginal.get(o.parentId) ?? []), o]);
  const results = [...byOriginal].map(([originalId, os]): RetrainResult => {
    const sorted = [...os].sort((a, b) => Number(a.detail.seedIndex) - Number(b.detail.seedIndex));
    const done = sorted.map((o) => rows.get(o.trialId)).filter((r) => r?.status === 'done' && r.test_accuracy !== null);
    const testAccuracies = done.map((r) => r!.test_accuracy!);
    const d = describe(testAccuracies);
    return {
      rank: rankOf.get(originalId) ?? null,
      originalId,
      originalCell: rows.get(originalId)?.cell ?? '?',
      selectedValAccuracy: Number(sorted[0]!.detail.selectedValAccuracy),
      cell: rows.get(sorted[0]!.trialId)?.cell ?? '?',
      seeds: sorted.length,
      testAccuracies,
      mean: d.mean,
      std: d.std,
    };
  });
  return results.sort(
    (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.selectedValAccuracy - a.selectedValAccuracy || (a.originalId < b.originalId ? -1 : 1),
  );
}

/** The results without the retrains, for what counts each graph once (correlations with graph statistics). */
export function withoutRetrains(results: SweepResults, store: SweepStore): SweepResults {
  const retrains = new Set(retrainOrigins(origins(store)).map((o) => o.trialId));
  return retrains.size ? { ...results, trials: results.trials.filter((t) => !retrains.has(t.id)) } : results;
}
