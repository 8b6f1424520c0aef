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
