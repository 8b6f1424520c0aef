import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import { origins } from '../../src/sweep/added-trials.js';
import { addRetrains } from '../../src/sweep/retrain-add.js';
import { retrainResults } from '../../src/sweep/retrain-results.js';
import { retrainSeed } from '../../src/sweep/retrain.js';
import { retrainCsv } from '../../src/report/retrain-report.js';
import type { RunSummary } from '../../src/experiment/run-files.js';

const tmp = tempFolder('randwire-retrain-add-');

const summary = (testAccuracy: number, validationAccuracy: number | null): RunSummary =>
  ({ testAccuracy, testLoss: 0.3, validationAccuracy, validationLoss: 0.3, epochs: 3, seconds: 1, trainImagesPerSec: 1 }) as RunSummary;

test('retrains are added once per (original, seed index) in a cell per original; more seeds add only the new indices; the results read back from the store', () => {
  const dir = join(tmp, 'fixture');
  writeSweepFixture(dir, 1);
  const { plan, store } = openSweep({ path: dir }, undefined, undefined);
  try {
    const byVal = plan.trials.map((t) => store.trial(t.id)!).sort((a, b) => b.val_accuracy! - a.val_accuracy! || (a.id < b.id ? -1 : 1));
    const first = addRetrains(plan, store, dir, 2, 3);
    assert.deepEqual(first.notes, []);
    assert.deepEqual(
      first.selected.map((c) => c.row.id),
      byVal.slice(0, 2).map((r) => r.id),
    );
    assert.equal(first.added.length, 6);
    const o = origins(store);
    assert.deepEqual(
      o.map((x) => [x.kind, x.parentId, x.detail.seedIndex]),
      [0, 1].flatMap((k) => [0, 1, 2].map((i) => ['retrain', byVal[k]!.id, i])),
    );
    assert.ok(o.every((x) => x.detail.selectedBy === 'validation' && x.detail.selectedValAccuracy === byVal.find((r) => r.id === x.parentId)!.val_accuracy));
    const best = first.added.filter((t) => o.find((x) => x.trialId === t.id)!.parentId === byVal[0]!.id);
    assert.deepEqual(new Set(best.map((t) => t.cell.label)), new Set([`retrain ${byVal[0]!.cell} #1`]));
    const originalConfig = JSON.parse(byVal[0]!.config) as { seed: number; model: { graphs: unknown } };
    assert.deepEqual(
      best.map((t) => t.config.seed),
      [0, 1, 2].map((i) => retrainSeed(originalConfig.seed, i)),
    );
    assert.ok(best.every((t) => JSON.stringify(t.config.model.graphs) === JSON.stringify(originalConfig.model.graphs)));

    // The same selection again adds nothing; more seeds add only indices 3 and 4, in the originals' cells.
    assert.equal(addRetrains(plan, store, dir, 2, 3).added.length, 0);
    const more = addRetrains(plan, store, dir, 2, 5);
    assert.deepEqual(
      more.added.map((t) => [t.trainSeed, t.cell.label]),
      [0, 1].flatMap((k) => [3, 4].map((i) => [i, `retrain ${byVal[k]!.cell} #${k + 1}`])),
    );
    assert.equal(more.retrains.length, 10);

    // Retrains that finish with the best validation accuracy of all are never selected themselves.
    const accuracies = [0.5, 0.6, 0.7];
    best.forEach((t, i) => {
      store.claim(t.id, process.pid);
      store.finish(t.id, summary(accuracies[i]!, 0.999), []);
    });
    const third = addRetrains(plan, store, dir, 3, 1);
    assert.deepEqual(
      third.selected.map((c) => c.row.id),
      byVal.slice(0, 3).map((r) => r.id),
    );
    assert.deepEqual(
      third.added.map((t) => t.cell.label),
      [`retrain ${byVal[2]!.cell} #3`],
    );

    const results = retrainResults(plan, store);
    assert.deepEqual(
      results.map((r) => [r.rank, r.originalId, r.seeds, r.testAccuracies.length]),
      [
        [1, byVal[0]!.id, 5, 3],
        [2, byVal[1]!.id, 5, 0],
        [3, byVal[2]!.id, 1, 0],
      ],
    );
    assert.deepEqual(results[0]!.testAccuracies, accuracies);
    assert.ok(Math.abs(results[0]!.mean! - 0.6) < 1e-12);
    assert.ok(Math.abs(results[0]!.std! - 0.1) < 1e-12, 'sample std (n - 1)');
    assert.equal(results[1]!.mean, null);
    // Cell labels hold commas ("ws(k=2, p=0.25)"): quoted.
    assert.equal(
      retrainCsv(results).split('\n')[1],
      `1,${byVal[0]!.id},"${byVal[0]!.cell}",${byVal[0]!.val_accuracy},"retrain ${byVal[0]!.cell} #1",5,3,${results[0]!.mean},${results[0]!.std}`,
    );
  } finally {
    closeSweep(store);
  }
});

test('retrain with fewer candidates than --top says so and takes them all; with none it refuses in one line', () => {
  const dir = join(tmp, 'few');
  writeSweepFixture(dir, 1, 2);
  const { plan, store } = openSweep({ path: dir }, undefined, undefined);
  try {
    const [a, b, c] = plan.trials;
    // A finished trial without a validation set is no candidate.
    store.claim(c!.id, process.pid);
    store.finish(c!.id, summary(0.99, null), []);
    const r = addRetrains(plan, store, dir, 5, 1);
    assert.deepEqual(new Set(r.selected.map((s) => s.row.id)), new Set([a!.id, b!.id]));
    assert.deepEqual(r.notes, [
      `--top 5, but only 2 finished trials can be selected (1 finished trial without a validation accuracy is not a candidate: retrain selects on validation, never test); retraining all 2`,
    ]);
  } finally {
    closeSweep(store);
  }
  const empty = join(tmp, 'empty');
  writeSweepFixture(empty, 1, 0);
  const e = openSweep({ path: empty }, undefined, undefined);
  try {
    assert.throws(
      () => addRetrains(e.plan, e.store, empty, 1, 1),
      (err: Error) => !err.message.includes('\n') && /has no finished trial with a validation accuracy/.test(err.message),
    );
  } finally {
    closeSweep(e.store);
  }
});
