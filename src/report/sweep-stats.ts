import { describe, holm, mannWhitneyU, pearson, spearman, welchTTest, type Description } from '../analysis/index.js';
import { GRAPH_STAT_KEYS, type GraphStatKey, type SweepResults, type TrialResult } from '../sweep/collect.js';

export interface CellRow {
  cell: string;
  family: string;
  /** Baselines are reference rows, not part of the search space. */
  reference: boolean;
  n: number;
  accuracy: Description;
  loss: Description;
  params: number;
  multiplyAdds: number;
  meanSeconds: number;
  outOfBudget: boolean;
}

export interface PairRow {
  a: string;
  b: string;
  meanDifference: number;
  welchT: number | null;
  welchDf: number | null;
  welchP: number | null;
  welchPHolm: number | null;
  mannWhitneyU: number | null;
  mannWhitneyP: number | null;
  mannWhitneyPHolm: number | null;
}

export interface CorrelationRow {
  statistic: GraphStatKey;
  n: number;
  pearsonR: number | null;
  pearsonP: number | null;
  spearmanRho: number | null;
  spearmanP: number | null;
}

const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN);

export function byCell(results: SweepResults): Map<string, TrialResult[]> {
  const m = new Map<string, TrialResult[]>(results.cells.map((c) => [c, []]));
  for (const t of results.trials) m.get(t.cell)?.push(t);
  return m;
}

/** One row per cell with trials: n, mean +/- std, 95 % CI and min/median/max of test accuracy and loss. */
export function cellRows(results: SweepResults): CellRow[] {
  return [...byCell(results)].filter(([, ts]) => ts.length).map(([cell, ts]) => ({
    cell,
    family: ts[0]!.family,
    reference: ts[0]!.model !== 'randwire',
    n: ts.length,
    accuracy: describe(ts.map((t) => t.testAccuracy)),
    loss: describe(ts.map((t) => t.testLoss)),
    params: mean(ts.map((t) => t.modelParams)),
    multiplyAdds: mean(ts.map((t) => t.multiplyAdds)),
    meanSeconds: mean(ts.map((t) => t.seconds)),
    outOfBudget: ts.some((t) => t.outOfBudget),
  }));
}

/**
 * Every pair of cells: Welch's t-test and Mann-Whitney U on test accuracy, each family of
 * p-values corrected together by Holm's method (the pairs are many; a raw p < 0.05 is expected by chance).
 */
export function pairRows(results: SweepResults): PairRow[] {
  const cells = [...byCell(results)].filter(([, ts]) => ts.length >= 2);
  const pairs: PairRow[] = [];
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + 1; j < cells.length; j++) {
      const [a, ta] = cells[i]!;
      const [b, tb] = cells[j]!;
      const xa = ta.map((t) => t.testAccuracy);
      const xb = tb.map((t) => t.testAccuracy);
      const w = welchTTest(xa, xb);
      const u = mannWhitneyU(xa, xb);
      pairs.push({
        a, b, meanDifference: mean(xa) - mean(xb), welchT: w?.t ?? null, welchDf: w?.df ?? null, welchP: w?.p ?? null, welchPHolm: null,
        mannWhitneyU: u?.u ?? null, mannWhitneyP: u?.p ?? null, mannWhitneyPHolm: null,
      });
    }
  }
  const adjust = (get: (p: PairRow) => number | null, set: (p: PairRow, v: number) => void): void => {
    const withP = pairs.filter((p) => get(p) !== null);
    holm(withP.map((p) => get(p)!)).forEach((v, i) => set(withP[i]!, v));
  };
  adjust((p) => p.welchP, (p, v) => (p.welchPHolm = v));
  adjust((p) => p.mannWhitneyP, (p, v) => (p.mannWhitneyPHolm = v));
  return pairs;
}

/** Test accuracy against each graph statistic over the RandWire trials (one point per trial). */
export function correlationRows(results: SweepResults): CorrelationRow[] {
  const rw = results.trials.filter((t) => t.model === 'randwire');
  const acc = rw.map((t) => t.testAccuracy);
  return GRAPH_STAT_KEYS.map((statistic) => {
    const x = rw.map((t) => t.graph[statistic] ?? Number.NaN);
    const p = pearson(x, acc);
    const s = spearman(x, acc);
    return { statistic, n: p?.n ?? s?.n ?? x.filter(Number.isFinite).length, pearsonR: p?.r ?? null, pearsonP: p?.p ?? null, spearmanRho: s?.rho ?? null, spearmanP: s?.p ?? null };
  });
}
