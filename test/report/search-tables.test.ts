import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anytimeCurve, retrainRows, sweepSummary } from '../../src/report/anytime.js';
import type { SearchData, SearchTrial } from '../../src/report/search-data.js';
import { describeMutations, lineageRows, paretoRows, rungTable } from '../../src/report/search-tables.js';
import { GRAPH_STAT_KEYS } from '../../src/sweep/graph-stat-columns.js';
import { twoObjectiveRanks } from '../../src/report/pareto-fronts.js';
import { paretoRanks } from '../../src/search/pareto.js';
import { Rng } from '../../src/core/rng.js';

const noGraph = Object.fromEntries(GRAPH_STAT_KEYS.map((k) => [k, null])) as SearchTrial['graph'];
const trial = (id: string, o: Partial<SearchTrial> = {}): SearchTrial => ({
  id,
  cell: 'c',
  family: 'er',
  status: 'done',
  origin: 'plan',
  valAccuracy: null,
  testAccuracy: null,
  multiplyAdds: 0,
  params: 0,
  finishedAt: null,
  heartbeatAt: null,
  graph: noGraph,
  ...o,
});
const data = (o: Partial<SearchData>): SearchData => ({
  name: 's',
  strategy: 'halving',
  trials: [],
  epochs: [],
  rungs: [],
  decisions: [],
  origins: [],
  brackets: null,
  ...o,
});
const epochs = (trialId: string, n: number, seconds = 10) => Array.from({ length: n }, (_, i) => ({ trialId, epoch: i + 1, seconds, valAccuracy: null }));

test('the anytime curve charges every epoch (a stopped trial, a running one, a failed one) and moves only on a better result', () => {
  // Trials a and b reach rung 0 (1 epoch); a is stopped there, b goes on and finishes at 3 epochs;
  // c is still training (2 epochs, no result); d failed after 1 epoch (seconds 5); r is a retrain (left out).
  const d = data({
    trials: [
      trial('a', { status: 'queued', heartbeatAt: '2026-01-01T00:01:30Z' }),
      trial('b', { valAccuracy: 0.9, finishedAt: '2026-01-01T00:05:00Z' }),
      trial('c', { status: 'running', heartbeatAt: '2026-01-01T00:06:00Z' }),
      trial('d', { status: 'failed', heartbeatAt: '2026-01-01T00:00:30Z' }),
      trial('r', { origin: 'retrain', valAccuracy: 0.99, finishedAt: '2026-01-01T00:09:00Z' }),
    ],
    epochs: [...epochs('a', 1), ...epochs('b', 3), ...epochs('c', 2), ...epochs('d', 1, 5), ...epochs('r', 3)],
    rungs: [
      { trialId: 'a', bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.7, recordedAt: '2026-01-01T00:01:00Z' },
      { trialId: 'b', bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.6, recordedAt: '2026-01-01T00:02:00Z' },
    ],
  });
  const points = anytimeCurve(d);
  assert.deepEqual(
    points.map((p) => [p.trialId, p.epoch, p.epochsCharged, p.cumulativeEpochs, p.cumulativeSeconds, p.bestValAccuracy, p.bestTrialId]),
    [
      ['d', 1, 1, 1, 5, null, null],
      ['a', 1, 1, 2, 15, 0.7, 'a'],
      ['b', 1, 1, 3, 25, 0.7, 'a'],
      ['b', 3, 2, 5, 45, 0.9, 'b'],
      ['c', 2, 2, 7, 65, 0.9, 'b'],
    ],
  );
  const s = sweepSummary(d);
  assert.deepEqual([s.trialsTrained, s.epochs, s.seconds, s.bestTrialId, s.bestValAccuracy], [4, 7, 65, 'b', 0.9]);
});

test("a halving trial's top rung and its finish are one result; a finished trial without rungs counts its epochs when it finishes", () => {
  const d = data({
    trials: [trial('a', { valAccuracy: 0.8, finishedAt: '2026-01-01T00:03:00Z' }), trial('b', { valAccuracy: 0.85, finishedAt: '2026-01-01T00:04:00Z' })],
    epochs: [...epochs('a', 3), ...epochs('b', 3)],
    rungs: [{ trialId: 'a', bracket: 0, rung: 0, epoch: 3, valAccuracy: 0.8, recordedAt: '2026-01-01T00:03:00Z' }],
  });
  assert.deepEqual(
    anytimeCurve(d).map((p) => [p.trialId, p.cumulativeEpochs, p.bestValAccuracy]),
    [
      ['a', 3, 0.8],
      ['b', 6, 0.85],
    ],
  );
});

test('the rung table counts admissions, results and decisions per bracket and rung', () => {
  const d = data({
    brackets: [
      {
        index: 0,
        s: 1,
        rungs: [
          { trials: 3, epochs: 1 },
          { trials: 1, epochs: 3 },
        ],
        trialIds: ['a', 'b', 'c'],
      },
      { index: 1, s: 0, rungs: [{ trials: 2, epochs: 3 }], trialIds: ['d', 'e'] },
    ],
    rungs: [
      { trialId: 'a', bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.5, recordedAt: '' },
      { trialId: 'b', bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.7, recordedAt: '' },
      { trialId: 'c', bracket: 0, rung: 0, epoch: 1, valAccuracy: null, recordedAt: '' },
      { trialId: 'd', bracket: 1, rung: 0, epoch: 3, valAccuracy: 0.6, recordedAt: '' },
    ],
    decisions: [
      { seq: 1, bracket: 0, rung: 0, trialId: 'b', decision: 'promoted' },
      { seq: 2, bracket: 0, rung: 0, trialId: 'a', decision: 'stopped' },
      { seq: 3, bracket: 0, rung: 0, trialId: 'c', decision: 'stopped' },
    ],
  });
  assert.deepEqual(
    rungTable(d).map((r) => [r.bracket, r.rung, r.epochs, r.planned, r.admitted, r.results, r.promoted, r.stopped, r.bestValAccuracy, r.bestTrialId]),
    [
      [0, 0, 1, 3, 3, 3, 1, 2, 0.7, 'b'],
      [0, 1, 3, 1, 1, 0, 0, 0, null, null],
      [1, 0, 3, 2, 2, 1, 0, 0, 0.6, 'd'],
    ],
  );
});

test('the Pareto front against a hand-computed one, for multiply-adds and for parameters', () => {
  // (val accuracy, multiply-adds, params). Against multiply-adds: B is cheapest, A better for more,
  // E best; C (worse and dearer than B) and D (as good as A for more) are dominated; F has no result.
  const pts: Array<[string, number | null, number, number]> = [
    ['A', 0.9, 10, 5],
    ['B', 0.85, 5, 9],
    ['C', 0.8, 8, 1],
    ['D', 0.9, 12, 4],
    ['E', 0.95, 20, 20],
    ['F', null, 1, 1],
  ];
  const d = data({
    trials: [
      ...pts.map(([id, valAccuracy, multiplyAdds, params]) => trial(id, { valAccuracy, multiplyAdds, params })),
      trial('R', { origin: 'retrain', valAccuracy: 1, multiplyAdds: 1, params: 1 }),
    ],
  });
  const rows = paretoRows(d);
  assert.deepEqual(
    rows.map((r) => r.trialId),
    ['A', 'B', 'C', 'D', 'E'],
  );
  assert.deepEqual(
    rows.filter((r) => r.rankFlops === 0).map((r) => r.trialId),
    ['A', 'B', 'E'],
  );
  assert.deepEqual(
    rows.map((r) => r.rankFlops),
    [0, 0, 1, 1, 0],
  );
  // Against parameters: C (1) is cheapest, D (4, 0.9) beats A (5, 0.9) and B; E is best.
  assert.deepEqual(
    rows.filter((r) => r.rankParams === 0).map((r) => r.trialId),
    ['C', 'D', 'E'],
  );
});

test("the lineage names each child's parent and mutations; retrains give mean +/- std per selected trial", () => {
  const d = data({
    strategy: 'evolution',
    trials: [
      trial('p', { valAccuracy: 0.8 }),
      trial('k', { origin: 'child', valAccuracy: 0.82 }),
      trial('r1', { origin: 'retrain', testAccuracy: 0.7 }),
      trial('r2', { origin: 'retrain', testAccuracy: 0.8 }),
      trial('r3', { origin: 'retrain', status: 'running' }),
    ],
    origins: [
      {
        trialId: 'k',
        seq: 1,
        kind: 'child',
        parentId: 'p',
        detail: { birth: 1, generation: 1, mutations: [{ stage: 2, kind: 'move-head', removed: [1, 4], added: [1, 6] }] },
      },
      { trialId: 'r1', seq: 2, kind: 'retrain', parentId: 'k', detail: {} },
      { trialId: 'r2', seq: 3, kind: 'retrain', parentId: 'k', detail: {} },
      { trialId: 'r3', seq: 4, kind: 'retrain', parentId: 'k', detail: {} },
    ],
  });
  assert.deepEqual(lineageRows(d), [
    {
      birth: 1,
      generation: 1,
      trialId: 'k',
      parentId: 'p',
      mutations: 'stage 2 move-head -1>4 +1>6',
      status: 'done',
      valAccuracy: 0.82,
      parentValAccuracy: 0.8,
    },
  ]);
  assert.equal(
    describeMutations({
      mutations: [
        { stage: 0, kind: 'add-edge', added: [0, 3] },
        { stage: 1, kind: 'remove-edge', removed: [2, 5] },
      ],
    }),
    'stage 0 add-edge +0>3; stage 1 remove-edge -2>5',
  );
  const [r] = retrainRows(d);
  assert.deepEqual([r!.selectedId, r!.retrains, r!.finished, r!.selectedValAccuracy], ['k', 3, 2, 0.82]);
  assert.ok(Math.abs(r!.testMean! - 0.75) < 1e-12 && Math.abs(r!.testStd! - Math.SQRT1_2 * 0.1) < 1e-12, `${r!.testMean} +/- ${r!.testStd}`);
});

test("two-objective ranks equal search/pareto.ts's paretoRanks on random points with ties and NaN", () => {
  const rng = Rng.fromSeed(27, 2);
  for (let round = 0; round < 300; round++) {
    const n = 1 + rng.int(40);
    // Coarse values, so that ties in one or both objectives are common.
    const pts = Array.from({ length: n }, () => ({ value: rng.int(12) === 0 ? Number.NaN : rng.int(8) / 8, cost: rng.int(10) }));
    const expected = paretoRanks(pts, [
      { name: 'value', value: (p) => p.value, maximize: true },
      { name: 'cost', value: (p) => p.cost, maximize: false },
    ]);
    assert.deepEqual(twoObjectiveRanks(pts), expected, JSON.stringify(pts));
  }
});
