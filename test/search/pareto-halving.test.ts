import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRung, decideRungPareto } from '../../src/search/promotion.js';
import { planHalving, type BracketPlan, type RungResultRow } from '../../src/search/halving-plan.js';

/*
 * A rung of seven trials (validation accuracy, cost), three to promote. Worked by hand:
 *   a (0.90, 100)  f (0.88, 80)  b (0.85, 50)  c (0.80, 20)  d (0.84, 60)  e (0.70, 20)  g (failed, 10)
 * Dominance: d is dominated by b (0.85 > 0.84, 50 < 60); e by c (same cost, 0.70 < 0.80); a, f,
 * b, c trade accuracy for cost, so front 0 = {a, f, b, c}, front 1 = {d, e} (d and e trade: 0.84
 * at 60 against 0.70 at 20). g has no accuracy: last, although it is the cheapest.
 * Crowding in front 0 (ranges: accuracy 0.90 - 0.80 = 0.10, cost 100 - 20 = 80):
 *   by accuracy c < b < f < a: c and a are extremes (Infinity);
 *     b: (0.88 - 0.80) / 0.10 = 0.8, f: (0.90 - 0.85) / 0.10 = 0.5
 *   by cost a (100) > f (80) > b (50) > c (20): a and c extremes;
 *     f: (100 - 50) / 80 = 0.625, b: (80 - 20) / 80 = 0.75
 *   b = 1.55, f = 1.125. Order: a, c (Infinity; tie by id), b, f; then front 1: d, e (both
 *   extremes of a front of two: tie by id); then g.
 * Promoted: a, c, b. By accuracy alone: a, f, b (f's 0.88 beats c's 0.80, c's cost does not count).
 */
const rung = [
  { trialId: 'a', valAccuracy: 0.9, cost: 100 },
  { trialId: 'b', valAccuracy: 0.85, cost: 50 },
  { trialId: 'c', valAccuracy: 0.8, cost: 20 },
  { trialId: 'd', valAccuracy: 0.84, cost: 60 },
  { trialId: 'e', valAccuracy: 0.7, cost: 20 },
  { trialId: 'f', valAccuracy: 0.88, cost: 80 },
  { trialId: 'g', valAccuracy: Number.NaN, cost: 10 },
];
const handOrder = ['a', 'c', 'b', 'f', 'd', 'e', 'g'];

test('a Pareto rung promotes by non-dominated rank, then crowding, then id: the hand-computed order', () => {
  assert.deepEqual(decideRungPareto(rung, 3), { promoted: ['a', 'c', 'b'], stopped: ['f', 'd', 'e', 'g'] });
  assert.deepEqual(decideRungPareto(rung, 7).promoted, handOrder);
  // The arrival order of the results changes nothing.
  assert.deepEqual(decideRungPareto([...rung].reverse(), 7).promoted, handOrder);
  assert.deepEqual(decideRung(rung, 3).promoted, ['a', 'f', 'b'], 'accuracy alone promotes f, not c');
});

test('planHalving with the pareto ranking: decisions from the stored rows and the costs, the promoted trials continue', () => {
  const plan: BracketPlan[] = [
    {
      index: 0,
      s: 1,
      rungs: [
        { epochs: 1, trials: 7 },
        { epochs: 3, trials: 3 },
      ],
      trialIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    },
  ];
  const results: RungResultRow[] = rung.map((r) => ({
    trialId: r.trialId,
    bracket: 0,
    rung: 0,
    epoch: 1,
    valAccuracy: Number.isNaN(r.valAccuracy) ? null : r.valAccuracy,
  }));
  const costs = new Map(rung.map((r) => [r.trialId, r.cost]));
  const step = planHalving(plan, results, [], { kind: 'pareto', costs });
  assert.deepEqual(
    step.decisions.map((d) => `${d.trialId}:${d.decision}`),
    ['a:promoted', 'c:promoted', 'b:promoted', 'f:stopped', 'd:stopped', 'e:stopped', 'g:stopped'],
  );
  assert.deepEqual(
    step.work.map((w) => [w.trialId, w.fromEpoch, w.stopEpoch]),
    [
      ['a', 1, 3],
      ['b', 1, 3],
      ['c', 1, 3],
    ],
  );
  // The same rows with the decisions stored decide nothing new; stored accuracy decisions contradict them.
  assert.deepEqual(planHalving(plan, results, step.decisions, { kind: 'pareto', costs }).decisions, []);
  const byAccuracy = planHalving(plan, results, []).decisions;
  assert.throws(
    () => planHalving(plan, results, byAccuracy, { kind: 'pareto', costs }),
    /c was stopped at bracket 0 rung 0, but its rung's results say promoted/,
  );
  assert.throws(() => planHalving(plan, results, [], { kind: 'pareto', costs: new Map() }), /trial a has no cost for the pareto objective/);
});
