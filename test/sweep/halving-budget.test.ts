import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { parseSweepSpec, planSweep, type PlannedTrial, type SweepPlan } from '../../src/sweep/plan.js';
import { SweepStore } from '../../src/sweep/store.js';
import { SearchStore } from '../../src/sweep/search-store.js';
import { halvingPlanOf, runHalving } from '../../src/sweep/halving-run.js';
import type { RungOutcome, TrainToEpoch } from '../../src/sweep/rung-job.js';
import { admittedTrials, budgetLine, halvingAllowance, type SearchBudget } from '../../src/search/budget.js';
import { budgetState } from '../../src/sweep/search-budget.js';
import { accuracyOf, decisionSet, seededFloats } from '../search/halving-sim.js';

const tmp = tempFolder('randwire-halving-budget-');
const specOf = (budget?: SearchBudget) => ({
  name: 'halving',
  nodes: 8,
  channels: 4,
  graphSeeds: 13,
  recipe: { epochs: 9 },
  cells: [{ generator: 'ws', grid: { k: [2], p: [0.5] } }],
  search: { strategy: 'halving', eta: 3, minEpochs: 1, ...(budget ? { budget } : {}) },
});
const planOf = (budget?: SearchBudget): SweepPlan => planSweep(parseSweepSpec(specOf(budget), 'test', false), false);
const quiet = (): void => {};

/** Jobs that take a seeded few milliseconds, so that 1 and 2 workers see results arrive in other orders. */
function stubTrainer(seed: number): TrainToEpoch {
  const random = seededFloats(seed);
  return (t: PlannedTrial, stopEpoch: number) => {
    const outcome = new Promise<RungOutcome>((resolve) =>
      setTimeout(() => {
        const { val, test } = accuracyOf(t.id, stopEpoch);
        if (stopEpoch < t.config.epochs) return resolve({ kind: 'paused', epoch: stopEpoch, validationAccuracy: val, history: [] });
        resolve({
          kind: 'done',
          summary: {
            validationAccuracy: val,
            testAccuracy: test,
            testLoss: 1,
            validationLoss: 1,
            epochs: stopEpoch,
            seconds: 1,
            trainImagesPerSec: 1,
            finishedAt: new Date().toISOString(),
          } as RunSummary,
          history: [],
        });
      }, 4 * random()),
    );
    return { pid: null, cancel: () => {}, outcome };
  };
}

function openStore(name: string, plan: SweepPlan): { store: SweepStore; dir: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const store = SweepStore.open(join(dir, 'sweep.db'));
  store.syncTrials(plan.trials);
  return { store, dir };
}

// 13 trials, eta 3, epochs 1..9: bracket 0 trains 7 x 1 ep -> 2 x 3 ep -> 1 x 9 ep, bracket 1 4 x 3 ep -> 1 x 9 ep,
// bracket 2 2 x 9 ep. Charged bracket by bracket, rung by rung (epochs beyond the rung below):
//   bracket 0: 7 x 1 (7 trials, 7 ep), 2 x 2 (11 ep), 1 x 6 (17 ep); bracket 1: 4 x 3 (11 trials, 29 ep), 1 x 6 (35 ep); bracket 2: 2 x 9 (13 trials, 53 ep).
// Budget 20 epochs: bracket 0 whole (17), then one job of bracket 1's rung 0 (20); the next would make 23.
// Budget 9 trials: bracket 0 whole (7 trials, 17 ep), then two of bracket 1's rung 0 (9 trials, 23 ep).
test('the budget admits jobs bracket by bracket, rung by rung, with no job after the first that does not fit', () => {
  const { brackets } = halvingPlanOf(planOf());
  assert.deepEqual(
    brackets.map((b) => b.rungs.map((r) => `${r.trials}x${r.epochs}`).join(' ')),
    ['7x1 2x3 1x9', '4x3 1x9', '2x9'],
  );
  assert.deepEqual(
    [...halvingAllowance(brackets, { epochs: 20 })],
    [
      ['0/0', 7],
      ['0/1', 2],
      ['0/2', 1],
      ['1/0', 1],
    ],
  );
  assert.deepEqual(
    [...halvingAllowance(brackets, { trials: 9 })],
    [
      ['0/0', 7],
      ['0/1', 2],
      ['0/2', 1],
      ['1/0', 2],
    ],
  );
  assert.deepEqual([...halvingAllowance(brackets, { epochs: 20, trials: 3 })], [['0/0', 3]]);
  assert.equal(halvingAllowance(brackets, { epochs: 53 }).get('2/0'), 2);
  const trials = [{ config: { epochs: 4 } }, { config: { epochs: 4 } }, { config: { epochs: 2 } }];
  assert.equal(admittedTrials(trials, { epochs: 7 }).length, 1, 'the second trial would make 8 epochs; the third is not taken out of order');
  assert.equal(admittedTrials(trials, { epochs: 10, trials: 2 }).length, 2);
  assert.equal(budgetLine({ epochs: 120, minutes: 60 }, { epochs: 120, trials: 9, minutes: 3.14 }), 'budget spent: 120 of 120 epochs; 3.1 of 60 minutes');
});

const expected = {
  epochs: { budget: { epochs: 20 }, line: 'budget spent: 20 of 20 epochs', trained: 8 },
  trials: { budget: { trials: 9 }, line: 'budget spent: 9 of 9 trials', trained: 9 },
};

for (const [kind, { budget, line, trained }] of Object.entries(expected)) {
  test(`a budget of ${kind} ends the search with the same decisions and rung results with 1 and 2 workers; the untrained trials say so; a larger budget continues`, async () => {
    const plan = planOf(budget);
    const seen: Array<{ decisions: ReturnType<typeof decisionSet>; results: string[] }> = [];
    for (const workers of [1, 2, 2]) {
      const { store, dir } = openStore(`${kind}-${workers}-${seen.length}`, plan);
      const lines: string[] = [];
      const r = await runHalving(store, plan, dir, { workers, retries: 0, log: (l) => lines.push(l), trainTo: stubTrainer(seen.length + 1) });
      assert.equal(r.budgetSpent, line, lines.join('\n'));
      assert.ok(lines.includes(`${line}; the search ends here (raise search.budget and run again to continue)`), lines.join('\n'));
      const search = SearchStore.of(store);
      seen.push({ decisions: decisionSet(search.decisions()), results: search.rungResults().map((x) => `${x.trialId}@${x.bracket}/${x.rung}:${x.epoch}`) });
      assert.equal(new Set(search.rungResults().map((x) => x.trialId)).size, trained);
      const state = budgetState(store, new Set(plan.trials.map((t) => t.id)));
      assert.equal(state?.line, line);
      assert.deepEqual(
        state?.notTrained,
        plan.trials.map((t) => t.id).filter((id) => !search.rungResults().some((x) => x.trialId === id)),
      );
      assert.ok(
        state.notTrained.every((id) => store.trial(id)?.status === 'queued'),
        'an untrained trial is never failed',
      );
      if (workers === 2 && seen.length === 3) {
        // The same store with the budget raised to all of it: the search continues and ends as one without a budget.
        const all = planOf({ epochs: 53 });
        const more = await runHalving(store, all, dir, { workers, retries: 0, log: quiet, trainTo: stubTrainer(7) });
        assert.equal(more.budgetSpent, undefined);
        assert.equal(budgetState(store, new Set(plan.trials.map((t) => t.id))), undefined, 'the spent line is cleared by a run that continues');
        const { store: free, dir: freeDir } = openStore(`${kind}-free`, planOf());
        await runHalving(free, planOf(), freeDir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(8) });
        assert.deepEqual(decisionSet(SearchStore.of(store).decisions()), decisionSet(SearchStore.of(free).decisions()));
        free.close();
      }
      store.close();
    }
    assert.deepEqual(seen[1], seen[0], '2 workers decide as 1');
    assert.deepEqual(seen[2], seen[0], '2 workers (other timing) decide as 1');
  });
}

test('a minutes budget is training wall time summed over runs: a run that spent it ends, and the next run starts nothing', async () => {
  const plan = planOf({ minutes: 0.01 });
  const { store, dir } = openStore('minutes', plan);
  // Jobs of at least 50 ms, one at a time: the 600 ms budget is spent before the search's 17 jobs (850 ms or more) are done.
  const slow: TrainToEpoch = (t, stopEpoch, onEpoch) => {
    const job = stubTrainer(5)(t, stopEpoch, onEpoch);
    return { ...job, outcome: new Promise<RungOutcome>((resolve) => setTimeout(() => resolve(job.outcome), 50)) };
  };
  const first = await runHalving(store, plan, dir, { workers: 1, retries: 0, log: quiet, trainTo: slow });
  assert.match(first.budgetSpent ?? '', /^budget spent: \d+\.\d{3} of 0\.01 minutes$/);
  assert.ok(first.trained > 0 && first.trained < 17, `trained ${first.trained} rung jobs`);
  const stored = Number(store.getMeta('search_budget_seconds'));
  assert.ok(stored >= 0.6, `stored ${stored} s of training`);
  const second = await runHalving(store, plan, dir, { workers: 2, retries: 0, log: quiet, trainTo: slow });
  assert.equal(second.trained, 0, 'the next run continues the count and starts nothing');
  assert.match(second.budgetSpent ?? '', /of 0\.01 minutes$/);
  store.close();
});
