import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignBrackets, planHalving, type BracketPlan, type DecisionRow } from '../../src/search/halving-plan.js';
import { accuracyOf, decisionSet, finalSet, simulate } from './halving-sim.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${String(i).padStart(3, '0')}`);

test("143 planned trials with R = 81, eta = 3 run Li et al.'s brackets exactly: trials reaching each rung, at its epochs", () => {
  const plan = assignBrackets(ids(143), { eta: 3, minEpochs: 1, maxEpochs: 81 });
  // Bracket by bracket, most explorative first, each taking the next trials of the plan.
  assert.deepEqual(
    plan.map((b) => [b.s, b.trialIds[0], b.trialIds.length]),
    [
      [4, 't000', 81],
      [3, 't081', 34],
      [2, 't115', 15],
      [1, 't130', 8],
      [0, 't138', 5],
    ],
  );
  const sim = simulate(plan, { workers: 2, seed: 7 });
  const reached = plan.map((b) =>
    b.rungs.map((r, i) => [sim.results.filter((x) => x.bracket === b.index && x.rung === i && x.epoch === r.epochs).length, r.epochs]),
  );
  assert.deepEqual(reached, [
    [
      [81, 1],
      [27, 3],
      [9, 9],
      [3, 27],
      [1, 81],
    ],
    [
      [34, 3],
      [11, 9],
      [3, 27],
      [1, 81],
    ],
    [
      [15, 9],
      [5, 27],
      [1, 81],
    ],
    [
      [8, 27],
      [2, 81],
    ],
    [[5, 81]],
  ]);
  // Every trial trained each rung once and continued from the rung below (no retraining from scratch).
  assert.equal(sim.started.length, sim.results.length);
  for (const w of sim.started) assert.equal(w.fromEpoch, w.rung === 0 ? 0 : plan[w.bracket]!.rungs[w.rung - 1]!.epochs);
});

test('fewer or more trials than Hyperband starts: all are used, shared in proportion to its n, each rung keeps its fraction (>= 1)', () => {
  const settings = { eta: 3, minEpochs: 1, maxEpochs: 9 };
  // Hyperband here: s=2 starts 9 (9, 3, 1), s=1 starts 5 (5, 1), s=0 starts 3 (3): 17 in all.
  const exact = assignBrackets(ids(17), settings);
  assert.deepEqual(
    exact.map((b) => b.rungs.map((r) => r.trials)),
    [[9, 3, 1], [5, 1], [3]],
  );
  const small = assignBrackets(ids(7), settings);
  // 7 x (9, 5, 3) / 17 = 3.7, 2.06, 1.24 -> 3, 2, 1 and the one left to the largest remainder (the first).
  assert.deepEqual(
    small.map((b) => b.rungs.map((r) => r.trials)),
    [[4, 1, 1], [2, 1], [1]],
  );
  const large = assignBrackets(ids(170), settings);
  assert.deepEqual(
    large.map((b) => b.rungs.map((r) => r.trials)),
    [[90, 30, 10], [50, 10], [30]],
  );
  for (const plan of [small, large])
    assert.deepEqual(
      plan.flatMap((b) => b.trialIds),
      ids(plan === small ? 7 : 170),
    );
  // Two trials cannot fill three brackets: the least explorative gets none and is left out.
  assert.deepEqual(
    assignBrackets(ids(2), settings).map((b) => [b.index, b.trialIds]),
    [
      [0, ['t000']],
      [1, ['t001']],
    ],
  );
  assert.throws(() => assignBrackets(['a', 'a'], settings), /^RandwireError: search: the plan names a trial twice$/m);
});

test('1, 2 and 5 workers and random finishing orders (with and without coordinator crashes) give identical decisions and final sets', () => {
  const plan = assignBrackets(ids(40), { eta: 3, minEpochs: 1, maxEpochs: 27 });
  const reference = simulate(plan, { workers: 1, seed: 1 });
  const decisions = decisionSet(reference.decisions);
  const final = finalSet(plan, reference.results);
  assert.ok(decisions.length > 30 && final.length >= plan.length, `${decisions.length} decisions, ${final.length} final`);
  let crashes = 0;
  const busy: string[] = [];
  for (const workers of [1, 2, 5]) {
    for (const seed of [2, 3, 4, 5]) {
      for (const crashChance of [0, 0.15]) {
        const sim = simulate(plan, { workers, seed, crashChance });
        crashes += sim.crashes;
        assert.deepEqual(decisionSet(sim.decisions), decisions, `${workers} workers, seed ${seed}, crashes ${sim.crashes}`);
        assert.deepEqual(finalSet(plan, sim.results), final);
        // Sequence numbers: one per decision, in the order they were stored.
        assert.deepEqual(
          sim.decisions.map((d) => d.seq),
          sim.decisions.map((_, i) => i + 1),
        );
        if (crashChance === 0) busy.push(`${workers}w ${(sim.busy * 100).toFixed(0)} %`);
      }
    }
  }
  assert.ok(crashes > 10, `the crash runs crashed ${crashes} times`);
  // Simulated time (epochs x a random factor), not the machine's: how busy the workers stayed.
  console.log(`simulated worker busy time: ${busy.join(', ')}`);
});

test('a restart at any point (the planner asked again on the stored rows) decides nothing twice and loses nothing', () => {
  const plan = assignBrackets(ids(30), { eta: 2, minEpochs: 1, maxEpochs: 8 });
  const run = simulate(plan, { workers: 3, seed: 11 });
  for (let k = 0; k <= run.results.length; k++) {
    const results = run.results.slice(0, k);
    const all = planHalving(plan, results, []).decisions;
    // What the store held when result k arrived: decisions made from the earlier results.
    const storedAt = (n: number): DecisionRow[] => planHalving(plan, run.results.slice(0, n), []).decisions;
    for (const held of [[], storedAt(Math.max(0, k - 1)), storedAt(Math.floor(k / 2)), all]) {
      const again = planHalving(plan, results, held);
      assert.deepEqual(decisionSet([...held, ...again.decisions]), decisionSet(all), `after ${k} results, ${held.length} decisions held`);
      assert.ok(again.decisions.every((d) => !held.some((h) => h.bracket === d.bracket && h.rung === d.rung && h.trialId === d.trialId)));
    }
    // The same work whatever had been stored, and none for stopped trials.
    const stopped = new Set(all.filter((d) => d.decision === 'stopped').map((d) => d.trialId));
    const work = planHalving(plan, results, all).work;
    assert.deepEqual(planHalving(plan, results, []).work, work);
    assert.ok(work.every((w) => !stopped.has(w.trialId)));
  }
});

test('promotion ranks by validation accuracy only: here test accuracy ranks every trial the other way round', () => {
  const plan = assignBrackets(ids(9), { eta: 3, minEpochs: 1, maxEpochs: 9, brackets: 1 });
  const sim = simulate(plan, { workers: 2, seed: 3 });
  const byVal = [...plan[0]!.trialIds].sort((a, b) => accuracyOf(b, 1).val - accuracyOf(a, 1).val || (a < b ? -1 : 1));
  const byTest = [...plan[0]!.trialIds].sort((a, b) => accuracyOf(b, 1).test - accuracyOf(a, 1).test);
  const promoted = sim.decisions.filter((d) => d.rung === 0 && d.decision === 'promoted').map((d) => d.trialId);
  assert.deepEqual(promoted, byVal.slice(0, 3));
  assert.equal(promoted.filter((id) => byTest.slice(0, 3).includes(id)).length, 0);
});

test('rows that do not fit the plan (another search section, a tampered store) are refused, one line', () => {
  const plan: BracketPlan[] = assignBrackets(ids(9), { eta: 3, minEpochs: 1, maxEpochs: 9, brackets: 1 });
  const row = { trialId: 't000', bracket: 0, rung: 1, epoch: 3, valAccuracy: 0.5 };
  assert.throws(() => planHalving(plan, [row], []), /^RandwireError: search: the store's halving rows do not fit .*never promoted to\)/m);
  assert.throws(() => planHalving(plan, [{ ...row, rung: 0, epoch: 2 }], []), /is of epoch 2, not 1/);
  assert.throws(() => planHalving(plan, [], [{ bracket: 0, rung: 0, trialId: 't000', decision: 'stopped' }]), /whose results are not all in/);
  const full = plan[0]!.trialIds.map((trialId, i) => ({ trialId, bracket: 0, rung: 0, epoch: 1, valAccuracy: i / 10 }));
  assert.throws(() => planHalving(plan, full, [{ bracket: 0, rung: 0, trialId: 't008', decision: 'stopped' }]), /t008 was stopped .* results say promoted/);
  // A trial that failed for good (null) ranks last; the rung is still decided.
  const failed = planHalving(
    plan,
    full.map((r) => (r.trialId === 't008' ? { ...r, valAccuracy: null } : r)),
    [],
  );
  assert.deepEqual(
    failed.decisions.filter((d) => d.decision === 'promoted').map((d) => d.trialId),
    ['t007', 't006', 't005'],
  );
});
