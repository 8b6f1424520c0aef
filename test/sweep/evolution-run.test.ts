import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { parseSweepSpec, planSweep, type PlannedTrial } from '../../src/sweep/plan.js';
import { SweepStore } from '../../src/sweep/store.js';
import { origins } from '../../src/sweep/added-trials.js';
import { runEvolution } from '../../src/sweep/evolution-run.js';
import type { RungOutcome, TrainToEpoch } from '../../src/sweep/rung-job.js';
import { isRandwireError } from '../../src/core/errors.js';

const tmp = tempFolder('randwire-evolution-run-');
const spec = {
  name: 'evolution',
  nodes: 6,
  channels: 4,
  graphSeeds: 3,
  recipe: { epochs: 2 },
  cells: [
    { generator: 'er', grid: { p: [0.4] } },
    { generator: 'ws', grid: { k: [2], p: [0.5] } },
  ],
  search: { strategy: 'evolution', population: 5, sample: 2, window: 2, children: 8 },
};
const plan = planSweep(parseSweepSpec(spec, 'test', false), false);
const quiet = (): void => {};
const unit = (text: string): number => parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;

function openStore(name: string): { store: SweepStore; dir: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const store = SweepStore.open(join(dir, 'sweep.db'));
  store.syncTrials(plan.trials);
  return { store, dir };
}

/** Stands in for trial processes: each job ends after a seeded few ms; `fail` trials always fail, `storage` ones as a full disk does. */
function stubTrainer(seed: number, o: { fail?: ReadonlySet<string>; storage?: ReadonlySet<string>; ms?: number } = {}) {
  const trained: string[] = [];
  let n = 0;
  const trainTo: TrainToEpoch = (t: PlannedTrial, stopEpoch: number) => {
    let settle: (o: RungOutcome) => void = () => {};
    const outcome = new Promise<RungOutcome>((resolve) => (settle = resolve));
    const timer = setTimeout(
      () => {
        if (o.storage?.has(t.id)) return settle({ kind: 'failed', error: 'ENOSPC', storage: true } as RungOutcome);
        if (o.fail?.has(t.id)) return settle({ kind: 'failed', error: 'the stub fails this member' });
        assert.equal(stopEpoch, t.config.epochs, 'a member trains to its last epoch');
        trained.push(t.id);
        const val = 0.5 + 0.4 * unit(t.id);
        settle({
          kind: 'done',
          summary: {
            validationAccuracy: val,
            testAccuracy: val,
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
      (o.ms ?? 4) * unit(`${seed} ${n++}`),
    );
    return {
      pid: null,
      cancel: () => {
        clearTimeout(timer);
        settle({ kind: 'stopped' });
      },
      outcome,
    };
  };
  return { trainTo, trained };
}

const lineage = (store: SweepStore) => origins(store).map((o) => [o.trialId, o.parentId, JSON.stringify(o.detail)]);

test('the coordinator breeds the same children with 1 and 3 workers, trains every member once, and finishes them all', async () => {
  const runs = [];
  for (const [workers, seed] of [
    [1, 1],
    [3, 2],
    [3, 3],
  ] as const) {
    const { store, dir } = openStore(`w${workers}-${seed}`);
    const stub = stubTrainer(seed);
    const r = await runEvolution(store, plan, dir, { workers, retries: 0, log: quiet, trainTo: stub.trainTo });
    assert.deepEqual([r.bred, r.trained, r.failed, r.stopped], [8, 13, [], false]);
    assert.equal(new Set(stub.trained).size, 13, 'a member trained twice');
    const members = new Set([...plan.trials.slice(0, 5).map((t) => t.id), ...origins(store).map((o) => o.trialId)]);
    assert.deepEqual(
      store.trials(members).map((t) => t.status),
      new Array(13).fill('done'),
    );
    // The plan's sixth trial is not a member: never trained.
    assert.equal(store.trial(plan.trials[5]!.id)!.status, 'queued');
    runs.push(lineage(store));
    store.close();
  }
  assert.deepEqual(runs[1], runs[0]);
  assert.deepEqual(runs[2], runs[0]);
});

test('a member that fails after its retries stays failed, never parents a child, and is not trained again on the next run', async () => {
  const bad = new Set([plan.trials[1]!.id]);
  const { store, dir } = openStore('failing');
  const first = stubTrainer(4, { fail: bad });
  const r = await runEvolution(store, plan, dir, { workers: 2, retries: 1, log: quiet, trainTo: first.trainTo });
  assert.deepEqual(r.failed, [...bad]);
  assert.equal(store.failures(plan.trials[1]!.id).length, 2, 'one attempt and one retry');
  assert.equal(store.trial(plan.trials[1]!.id)!.status, 'failed');
  assert.ok(
    origins(store).every((o) => !bad.has(o.parentId!)),
    'a failed member won a tournament',
  );
  const before = lineage(store);
  const again = stubTrainer(5);
  const r2 = await runEvolution(store, plan, dir, { workers: 2, retries: 1, log: quiet, trainTo: again.trainTo });
  assert.deepEqual([r2.trained, r2.bred, again.trained], [0, 0, []]);
  assert.deepEqual(lineage(store), before);
  store.close();
});

test('a full disk stops the search without spending the member; Ctrl-C stops it; both continue to the same children', async () => {
  const reference = openStore('reference');
  await runEvolution(reference.store, plan, reference.dir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(6).trainTo });
  const expected = lineage(reference.store);
  reference.store.close();

  const { store, dir } = openStore('interrupted');
  const disk = plan.trials[2]!.id;
  await assert.rejects(
    runEvolution(store, plan, dir, { workers: 2, retries: 2, log: quiet, trainTo: stubTrainer(7, { storage: new Set([disk]) }).trainTo }),
    (e: unknown) => isRandwireError(e) && /ENOSPC/.test(e.message),
  );
  assert.equal(store.trial(disk)!.status, 'queued', 'a member stopped by the disk is neither failed nor lost');
  // Jobs long enough for the coordinator's Ctrl-C poll (every 200 ms) to see the stop while they run.
  const stopped = await runEvolution(store, plan, dir, {
    workers: 2,
    retries: 0,
    log: quiet,
    shouldStop: () => origins(store).length >= 2,
    trainTo: stubTrainer(8, { ms: 600 }).trainTo,
  });
  assert.equal(stopped.stopped, true);
  assert.ok(origins(store).length < 8, 'stopped before the last child');
  assert.ok(
    store.trials().every((t) => t.status !== 'running'),
    'a stopped member is released',
  );
  await runEvolution(store, plan, dir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(9).trainTo });
  assert.deepEqual(lineage(store), expected);
  store.close();
});

test('more graph seeds in the sweep file after the search ran change no child; another sample is refused in one line', async () => {
  const { store, dir } = openStore('grown');
  await runEvolution(store, plan, dir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(10).trainTo });
  const before = lineage(store);
  const grown = planSweep(parseSweepSpec({ ...spec, graphSeeds: 5 }, 'test', false), false);
  store.syncTrials(grown.trials);
  const r = await runEvolution(store, grown, dir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(11).trainTo });
  assert.deepEqual([r.bred, r.trained], [0, 0]);
  assert.deepEqual(lineage(store), before);
  const other = planSweep(parseSweepSpec({ ...spec, search: { ...spec.search, sample: 3 } }, 'test', false), false);
  await assert.rejects(
    runEvolution(store, other, dir, { workers: 2, retries: 0, log: quiet, trainTo: stubTrainer(12).trainTo }),
    /the search section \(or the trials it starts from\) changed after the evolution bred children/,
  );
  store.close();
});
