import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tempFolder } from '../helpers/folder.js';
import { join } from 'node:path';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { parseSweepSpec, planSweep, type PlannedTrial, type SweepPlan } from '../../src/sweep/plan.js';
import { SweepStore } from '../../src/sweep/store.js';
import { SearchStore } from '../../src/sweep/search-store.js';
import { halvingPlanOf, runHalving } from '../../src/sweep/halving-run.js';
import type { RungOutcome, TrainToEpoch } from '../../src/sweep/rung-job.js';
import { planHalving } from '../../src/search/halving-plan.js';
import { accuracyOf, decisionSet, seededFloats, simulate } from '../search/halving-sim.js';

const tmp = tempFolder('randwire-halving-run-');
const spec = {
  name: 'halving',
  nodes: 8,
  channels: 4,
  graphSeeds: 13,
  recipe: { epochs: 9 },
  cells: [{ generator: 'ws', grid: { k: [2], p: [0.5] } }],
  search: { strategy: 'halving', eta: 3, minEpochs: 1 },
};
const sweepPlan: SweepPlan = planSweep(parseSweepSpec(spec, 'test', false), false);

function openStore(name: string): { store: SweepStore; dir: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const store = SweepStore.open(join(dir, 'sweep.db'));
  store.syncTrials(sweepPlan.trials);
  return { store, dir };
}

/**
 * Stands in for trial processes here, so that the coordinator's decisions and records are tested
 * with many orders quickly; the real pause-and-continue is the continuation work's own test. Each
 * job takes a seeded few milliseconds; `fail` names trials whose every job fails.
 */
function stubTrainer(seed: number, o: { ms?: number; fail?: ReadonlySet<string> } = {}) {
  const random = seededFloats(seed);
  const completed: string[] = [];
  const trainTo: TrainToEpoch = (t: PlannedTrial, stopEpoch: number) => {
    let timer: NodeJS.Timeout | undefined;
    let settle: (o: RungOutcome) => void = () => {};
    const outcome = new Promise<RungOutcome>((resolve) => (settle = resolve));
    timer = setTimeout(
      () => {
        timer = undefined;
        if (o.fail?.has(t.id)) return settle({ kind: 'failed', error: 'the stub fails this trial' });
        completed.push(`${t.id}@${stopEpoch}`);
        const { val, test } = accuracyOf(t.id, stopEpoch);
        if (stopEpoch < t.config.epochs) return settle({ kind: 'paused', epoch: stopEpoch, validationAccuracy: val, history: [] });
        settle({
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
      },
      (o.ms ?? 3) * random(),
    );
    const cancel = (): void => {
      if (timer === undefined) return;
      clearTimeout(timer);
      settle({ kind: 'stopped' });
    };
    return { pid: null, cancel, outcome };
  };
  return { trainTo, completed };
}

const reference = (() => {
  const { brackets } = halvingPlanOf(sweepPlan);
  return { brackets, decisions: decisionSet(simulate(brackets, { workers: 1, seed: 1 }).decisions) };
})();
const quiet = (): void => {};

test("the coordinator makes the pure planner's decisions with 1 and 3 workers, trains each rung of a trial once, and finishes the top rung's trials", async () => {
  for (const [workers, seed] of [
    [1, 1],
    [3, 2],
    [3, 3],
  ] as const) {
    const { store, dir } = openStore(`w${workers}-${seed}`);
    const stub = stubTrainer(seed);
    const r = await runHalving(store, sweepPlan, dir, { workers, retries: 0, log: quiet, trainTo: stub.trainTo });
    const search = SearchStore.of(store);
    assert.deepEqual(decisionSet(search.decisions()), reference.decisions, `${workers} workers`);
    assert.equal(r.decided, search.decisions().length);
    assert.equal(new Set(stub.completed).size, stub.completed.length, 'a rung job trained twice');
    assert.equal(r.trained, stub.completed.length);
    assert.equal(planHalving(reference.brackets, search.rungResults(), search.decisions()).finished, true);
    // The top rungs' trials are finished trials of the sweep (status done, their validation accuracy); the rest are not.
    const top = new Set(
      search
        .rungResults()
        .filter((x) => x.epoch === 9)
        .map((x) => x.trialId),
    );
    assert.deepEqual(
      new Set(
        store
          .trials()
          .filter((t) => t.status === 'done')
          .map((t) => t.id),
      ),
      top,
    );
    for (const t of store.trials().filter((x) => x.status === 'done')) assert.equal(t.val_accuracy, accuracyOf(t.id, 9).val);
    assert.ok(r.busy > 0 && r.busy <= 1);
    store.close();
  }
});

test('stopped midway and run again (a new coordinator on the same store): nothing decided twice, nothing lost, no rung trained twice', async () => {
  const { store, dir } = openStore('stop');
  const stub = stubTrainer(5, { ms: 60 });
  const first = await runHalving(store, sweepPlan, dir, {
    workers: 2,
    retries: 0,
    log: quiet,
    trainTo: stub.trainTo,
    shouldStop: () => stub.completed.length >= 4,
  });
  assert.equal(first.stopped, true);
  const midway = SearchStore.of(store);
  assert.equal(planHalving(reference.brackets, midway.rungResults(), midway.decisions()).finished, false, 'the stop came after the search ended');
  assert.ok(
    store.trials().every((t) => t.status !== 'running'),
    'a stopped job left its trial running',
  );
  store.close();
  const again = SweepStore.open(join(dir, 'sweep.db'));
  const second = await runHalving(again, sweepPlan, dir, { workers: 2, retries: 0, log: quiet, trainTo: stub.trainTo });
  assert.equal(second.stopped, false);
  const search = SearchStore.of(again);
  assert.deepEqual(decisionSet(search.decisions()), reference.decisions);
  assert.deepEqual(
    search.decisions().map((d) => d.seq),
    search.decisions().map((_, i) => i + 1),
  );
  assert.equal(new Set(stub.completed).size, stub.completed.length, 'a rung job trained twice');
  again.close();
});

test('a trial whose jobs keep failing is retried, then failed and ranked last at its rung; the search still ends', async () => {
  const { store, dir } = openStore('fail');
  const { brackets } = reference;
  // The best trial of the first bracket by validation accuracy: failing, it must not be promoted.
  const first = brackets[0]!.trialIds;
  const best = [...first].sort((a, b) => accuracyOf(b, 1).val - accuracyOf(a, 1).val || (a < b ? -1 : 1))[0]!;
  const lines: string[] = [];
  const r = await runHalving(store, sweepPlan, dir, {
    workers: 2,
    retries: 1,
    log: (l) => lines.push(l),
    trainTo: stubTrainer(9, { fail: new Set([best]) }).trainTo,
  });
  assert.deepEqual(r.failed, [best]);
  assert.equal(store.trial(best)?.status, 'failed');
  assert.equal(store.failures(best).length, 2);
  const search = SearchStore.of(store);
  assert.deepEqual(
    search
      .decisions()
      .filter((d) => d.trialId === best)
      .map((d) => [d.rung, d.decision]),
    [[0, 'stopped']],
  );
  assert.equal(planHalving(brackets, search.rungResults(), search.decisions()).finished, true);
  assert.ok(lines.some((l) => l.includes('trying again (attempt 2 of 2)')) && lines.some((l) => l.endsWith('it ranks last at its rung')), lines.join('\n'));
  store.close();
});

test("a changed search section is refused once the search has rows; a pareto search ranks by the trials' multiply-adds", async () => {
  const { store, dir } = openStore('changed');
  await runHalving(store, sweepPlan, dir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(4).trainTo });
  const other = planSweep(parseSweepSpec({ ...spec, search: { strategy: 'halving', eta: 2, minEpochs: 1 } }, 'test', false), false);
  await assert.rejects(
    runHalving(store, other, dir, { workers: 1, retries: 0, log: quiet, trainTo: stubTrainer(4).trainTo }),
    /^RandwireError: sweep: the search section \(or the trials it plans\) changed after the search started/m,
  );
  const pareto = planSweep(parseSweepSpec({ ...spec, search: { strategy: 'halving', objective: 'pareto' } }, 'test', false), false);
  const ranking = halvingPlanOf(pareto).ranking;
  assert.ok(ranking.kind === 'pareto');
  assert.deepEqual(
    [...ranking.costs],
    pareto.trials.map((t) => [t.id, t.multiplyAdds]),
    'the default cost is the multiply-adds',
  );
  store.close();
});
