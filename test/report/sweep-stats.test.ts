import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellRows, correlationRows, pairRows } from '../../src/report/sweep-stats.js';
import { GRAPH_STAT_KEYS, type SweepResults, type TrialResult } from '../../src/sweep/collect.js';

// Three cells of 3 graphs x 2 training seeds. Expected values: scipy 1.17.1 on the per-graph
// means (the mean of each graph's two training seeds), e.g. A's graphs 0.81, 0.845, 0.795.
const ACC: Record<string, number[][]> = {
  A: [
    [0.8, 0.82],
    [0.85, 0.84],
    [0.78, 0.81],
  ],
  B: [
    [0.86, 0.88],
    [0.9, 0.87],
    [0.89, 0.91],
  ],
  C: [
    [0.83, 0.83],
    [0.84, 0.86],
    [0.82, 0.85],
  ],
};
const CLUSTERING: Record<string, number[]> = { A: [0.1, 0.25, 0.05], B: [0.4, 0.55, 0.45] };

function trial(cell: string, graphSeed: number, trainSeed: number, accuracy: number): TrialResult {
  const graph = Object.fromEntries(GRAPH_STAT_KEYS.map((k) => [k, null])) as TrialResult['graph'];
  if (CLUSTERING[cell]) graph.clustering = CLUSTERING[cell]![graphSeed - 1]!;
  return {
    id: `${cell}${graphSeed}${trainSeed}`,
    position: 0,
    cell,
    family: cell === 'C' ? 'tinycnn' : 'er',
    model: cell === 'C' ? 'tinycnn' : 'randwire',
    params: {},
    nodes: 8,
    channels: 4,
    graphSeed,
    trainSeed,
    seed: 0,
    modelParams: 1000,
    multiplyAdds: 2000,
    graphHashes: '',
    sameGraphsAs: null,
    outOfBudget: false,
    testAccuracy: accuracy,
    testLoss: 1 - accuracy,
    valAccuracy: null,
    valLoss: null,
    epochs: 1,
    seconds: 1,
    imagesPerSec: 1,
    attempts: 1,
    graph,
    history: [],
  };
}

const results: SweepResults = {
  name: 't',
  cells: ['A', 'B', 'C'],
  pending: 0,
  trials: Object.entries(ACC).flatMap(([cell, graphs]) => graphs.flatMap((accs, g) => accs.map((a, t) => trial(cell, g + 1, t + 1, a)))),
};
const close = (actual: number | null | undefined, expected: number, what: string): void => {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
};

test('cells are described over graphs (training seeds averaged first), with the spread between training seeds', () => {
  const a = cellRows(results).find((r) => r.cell === 'A')!;
  assert.equal(a.trials, 6);
  assert.equal(a.accuracy.n, 3);
  close(a.accuracy.mean, 0.8166666666666668, 'mean'); // np.mean([0.81, 0.845, 0.795])
  close(a.accuracy.std, 0.02565800719723438, 'std'); // np.std(..., ddof=1)
  close(a.trainSeedStd, 0.015275252316519456, 'pooled within-graph std'); // sqrt(sum of squares / 3), numpy
  assert.equal(cellRows(results).find((r) => r.cell === 'C')!.reference, true);
});

test('pairs of cells: Welch and Mann-Whitney on graph means, Holm over the pairs', () => {
  const pairs = pairRows(results);
  const ab = pairs.find((p) => p.a === 'A' && p.b === 'B')!;
  // scipy: stats.ttest_ind([0.81,0.845,0.795], [0.87,0.885,0.9], equal_var=False)
  close(ab.welchT, -3.982272035664775, 't');
  close(ab.welchP, 0.024772167949675943, 'p');
  // stats.mannwhitneyu(..., alternative='two-sided'): U=0, exact p=0.1
  close(ab.mannWhitneyU, 0, 'U');
  close(ab.mannWhitneyP, 0.1, 'U p');
  // Holm by hand over the three Welch p-values 0.024772, 0.279565 (A-C), 0.014801 (B-C):
  // 3 x 0.014801 = 0.044402 (B-C), then max(2 x 0.024772, that) = 0.049544 (A-B), then 0.279565 (A-C).
  close(ab.welchPHolm, 2 * 0.024772167949675943, 'Holm A-B');
  close(pairs.find((p) => p.a === 'B' && p.b === 'C')!.welchPHolm, 3 * 0.014800837903599784, 'Holm B-C');
  close(pairs.find((p) => p.a === 'A' && p.b === 'C')!.welchPHolm, 0.27956528961154276, 'Holm A-C');
});

test('correlations: one point per RandWire graph, within a model size; baselines left out', () => {
  const rows = correlationRows(results);
  const c = rows.find((r) => r.statistic === 'clustering')!;
  assert.equal(c.group, 'N=8 C=4');
  assert.equal(c.n, 6);
  // scipy: stats.pearsonr([0.1,0.25,0.05,0.4,0.55,0.45], [0.81,0.845,0.795,0.87,0.885,0.9])
  close(c.pearsonR, 0.9610156444531017, 'r');
  close(c.pearsonP, 0.002250046144614322, 'p');
  close(c.spearmanRho, 0.942857142857143, 'rho'); // stats.spearmanr(same)
  close(c.spearmanP, 0.004804664723032055, 'rho p');
  // The other statistics are missing here, so Holm over one p-value leaves it as it is.
  close(c.pearsonPHolm, 0.002250046144614322, 'Holm');
  assert.equal(rows.find((r) => r.statistic === 'edges')!.pearsonR, null);
});

test('compute matching keeps trials within the tolerance of the median RandWire trial', async () => {
  const { matchCompute } = await import('../../src/report/compute-match.js');
  const sized = (cell: string, madds: number, model = 'randwire'): TrialResult => ({ ...trial(cell, 1, 1, 0.8), model, multiplyAdds: madds });
  const r: SweepResults = {
    name: 't',
    cells: ['A', 'B', 'C'],
    pending: 0,
    trials: [sized('A', 100), sized('A', 104), sized('B', 120), sized('B', 95), sized('C', 300, 'tinycnn')],
  };
  // Median of the RandWire trials' 95, 100, 104, 120: (100 + 104) / 2 = 102; 10 % keeps 91.8..112.2.
  const { results: kept, match } = matchCompute(r, 'flops', 0.1);
  assert.equal(match.reference, 102);
  assert.deepEqual(
    kept.trials.map((t) => t.multiplyAdds),
    [100, 104, 95],
  );
  assert.equal(match.dropped, 2);
});
