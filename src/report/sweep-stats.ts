import { describe, holm, mannWhitneyU, pearson, spearman, welchTTest, type Description } from '../analysis/index.js';
import { GRAPH_STAT_KEYS, type GraphStatKey, type SweepResults, type TrialResult } from '../sweep/collect.js';

/**
 * The statistical unit is the graph: a cell's trials of one graph seed (its training seeds) are
 * averaged first, so that n counts graphs, as in Xie et al.'s mean +/- std over sampled graphs,
 * and training replicates never pass for independent graphs in a test.
 */
export interface GraphUnit {
  cell: string;
  graphSeed: number;
  accuracy: number;
  loss: number;
  graph: Record<GraphStatKey, number | null>;
  /** The model size group: statistics are related to accuracy within one (N, C). */
  group: string;
}

export interface CellRow {
  cell: string;
  family: string;
  /** Baselines are reference rows, not part of the search space. */
  reference: boolean;
  trials: number;
  /** Over graphs (each the mean of its training seeds). */
  accuracy: Description;
  loss: Description;
  /** Std of accuracy between training seeds of one graph, pooled over the cell's graphs (null with one seed). */
  trainSeedStd: number | null;
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
  group: string;
  statistic: GraphStatKey;
  n: number;
  pearsonR: number | null;
  pearsonP: number | null;
  pearsonPHolm: number | null;
  spearmanRho: number | null;
  spearmanP: number | null;
  spearmanPHolm: number | null;
}

const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN);

export function byCell(results: SweepResults): Map<string, TrialResult[]> {
  const m = new Map<string, TrialResult[]>(results.cells.map((c) => [c, []]));
  for (const t of results.trials) m.get(t.cell)?.push(t);
  return m;
}

/** Each graph of a cell: its trials (training seeds) averaged. */
export function graphUnits(ts: TrialResult[]): GraphUnit[] {
  const bySeed = new Map<number, TrialResult[]>();
  for (const t of ts) bySeed.set(t.graphSeed, [...(bySeed.get(t.graphSeed) ?? []), t]);
  return [...bySeed].map(([graphSeed, g]) => ({
    cell: g[0]!.cell,
    graphSeed,
    accuracy: mean(g.map((t) => t.testAccuracy)),
    loss: mean(g.map((t) => t.testLoss)),
    graph: g[0]!.graph,
    group: `N=${g[0]!.nodes} C=${g[0]!.channels}`,
  }));
}

function pooledTrainSeedStd(ts: TrialResult[]): number | null {
  let ss = 0;
  let df = 0;
  for (const u of graphUnits(ts)) {
    const accs = ts.filter((t) => t.graphSeed === u.graphSeed).map((t) => t.testAccuracy);
    ss += accs.reduce((a, x) => a + (x - u.accuracy) ** 2, 0);
    df += accs.length - 1;
  }
  return df > 0 ? Math.sqrt(ss / df) : null;
}

/** One row per cell with trials: mean +/- std, 95 % CI and min/median/max over its graphs. */
export function cellRows(results: SweepResults): CellRow[] {
  return [...byCell(results)]
    .filter(([, ts]) => ts.length)
    .map(([cell, ts]) => {
      const units = graphUnits(ts);
      return {
        cell,
        family: ts[0]!.family,
        reference: ts[0]!.model !== 'randwire',
        trials: ts.length,
        accuracy: describe(units.map((u) => u.accuracy)),
        loss: describe(units.map((u) => u.loss)),
        trainSeedStd: pooledTrainSeedStd(ts),
        params: mean(ts.map((t) => t.modelParams)),
        multiplyAdds: mean(ts.map((t) => t.multiplyAdds)),
        meanSeconds: mean(ts.map((t) => t.seconds)),
        outOfBudget: ts.some((t) => t.outOfBudget),
      };
    });
}

function withHolm<T>(rows: T[], get: (r: T) => number | null, set: (r: T, v: number) => void): void {
  const withP = rows.filter((r) => get(r) !== null);
  holm(withP.map((r) => get(r)!)).forEach((v, i) => set(withP[i]!, v));
}

/**
 * Every pair of cells: Welch's t-test and Mann-Whitney U on their graphs' accuracies, each family
 * of p-values corrected together by Holm's method (the pairs are many; a raw p < 0.05 is expected by chance).
 */
export function pairRows(results: SweepResults): PairRow[] {
  const cells = [...byCell(results)].map(([cell, ts]) => [cell, graphUnits(ts).map((u) => u.accuracy)] as const).filter(([, xs]) => xs.length >= 2);
  const pairs: PairRow[] = [];
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + 1; j < cells.length; j++) {
      const [a, xa] = cells[i]!;
      const [b, xb] = cells[j]!;
      const w = welchTTest(xa, xb);
      const u = mannWhitneyU(xa, xb);
      pairs.push({
        a,
        b,
        meanDifference: mean(xa) - mean(xb),
        welchT: w?.t ?? null,
        welchDf: w?.df ?? null,
        welchP: w?.p ?? null,
        welchPHolm: null,
        mannWhitneyU: u?.u ?? null,
        mannWhitneyP: u?.p ?? null,
        mannWhitneyPHolm: null,
      });
    }
  }
  withHolm(
    pairs,
    (p) => p.welchP,
    (p, v) => (p.welchPHolm = v),
  );
  withHolm(
    pairs,
    (p) => p.mannWhitneyP,
    (p, v) => (p.mannWhitneyPHolm = v),
  );
  return pairs;
}

/**
 * Accuracy against each graph statistic, one point per RandWire graph, within each model size
 * (N, C): across sizes the statistics would stand in for the size. Holm over a group's statistics.
 */
export function correlationRows(results: SweepResults): CorrelationRow[] {
  const units = [...byCell(results)].flatMap(([, ts]) => (ts[0]?.model === 'randwire' ? graphUnits(ts) : []));
  const groups = [...new Set(units.map((u) => u.group))];
  return groups.flatMap((group) => {
    const g = units.filter((u) => u.group === group);
    const acc = g.map((u) => u.accuracy);
    const rows = GRAPH_STAT_KEYS.map((statistic): CorrelationRow => {
      const x = g.map((u) => u.graph[statistic] ?? Number.NaN);
      const p = pearson(x, acc);
      const s = spearman(x, acc);
      return {
        group,
        statistic,
        n: p?.n ?? s?.n ?? x.filter(Number.isFinite).length,
        pearsonR: p?.r ?? null,
        pearsonP: p?.p ?? null,
        pearsonPHolm: null,
        spearmanRho: s?.rho ?? null,
        spearmanP: s?.p ?? null,
        spearmanPHolm: null,
      };
    });
    withHolm(
      rows,
      (r) => r.pearsonP,
      (r, v) => (r.pearsonPHolm = v),
    );
    withHolm(
      rows,
      (r) => r.spearmanP,
      (r, v) => (r.spearmanPHolm = v),
    );
    return rows;
  });
}
