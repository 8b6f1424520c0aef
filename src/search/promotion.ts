import { paretoOrder, type Objective } from './pareto.js';

/** A trial's result at a rung: what promotion ranks. */
export interface RungResult {
  trialId: string;
  /** Validation accuracy at the rung's epoch (never test accuracy). */
  valAccuracy: number;
}

export interface RungDecision {
  promoted: string[];
  stopped: string[];
}

/**
 * Successive halving's decision at a full rung: the best `keep` trials by validation accuracy go
 * on, the rest stop. Ties break by trial id, so the same results give the same decision whatever
 * order the workers finished in. A NaN accuracy (a diverged trial) ranks last.
 */
export function decideRung(results: readonly RungResult[], keep: number): RungDecision {
  const ranked = [...results].sort((a, b) => {
    const av = Number.isNaN(a.valAccuracy) ? -Infinity : a.valAccuracy;
    const bv = Number.isNaN(b.valAccuracy) ? -Infinity : b.valAccuracy;
    if (av !== bv) return bv - av;
    return a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0;
  });
  const k = Math.max(0, Math.min(keep, ranked.length));
  return { promoted: ranked.slice(0, k).map((r) => r.trialId), stopped: ranked.slice(k).map((r) => r.trialId) };
}

/** A rung result with the trial's cost (multiply-adds or parameters): what a Pareto rung ranks. */
export interface CostedRungResult extends RungResult {
  cost: number;
}

const PARETO_OBJECTIVES: ReadonlyArray<Objective<CostedRungResult>> = [
  { name: 'validation accuracy', value: (r) => r.valAccuracy, maximize: true },
  { name: 'cost', value: (r) => r.cost, maximize: false },
];

/**
 * Successive halving with two objectives: the rung's trials in NSGA-II's order (non-dominated rank
 * over validation accuracy and cost, then crowding distance, then trial id), the first `keep` go
 * on. A trial without an accuracy (failed or diverged) ranks last whatever its cost: a cheap trial
 * that learned nothing would otherwise sit on the front as its cheapest point.
 */
export function decideRungPareto(results: readonly CostedRungResult[], keep: number): RungDecision {
  const scored = results.filter((r) => !Number.isNaN(r.valAccuracy));
  const unscored = results.filter((r) => Number.isNaN(r.valAccuracy)).sort((a, b) => (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0));
  const ranked = [...paretoOrder(scored, PARETO_OBJECTIVES, (r) => r.trialId).map((i) => scored[i]!), ...unscored];
  const k = Math.max(0, Math.min(keep, ranked.length));
  return { promoted: ranked.slice(0, k).map((r) => r.trialId), stopped: ranked.slice(k).map((r) => r.trialId) };
}
