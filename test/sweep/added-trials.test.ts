import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { closeSweep, openSweep, readSweep } from '../../src/sweep/folder.js';
import { addTrials, addedTrials, deriveTrial, origins, sweepTrials } from '../../src/sweep/added-trials.js';
import { canonicalJson } from '../../src/sweep/plan.js';
import { collectResults } from '../../src/sweep/collect.js';
import { applyMutation } from '../../src/search/mutate.js';
import type { RunSummary } from '../../src/experiment/run-files.js';

const tmp = tempFolder('randwire-added-trials-');

test('trials a search adds are stored with their origin once, read back as the planner made them, and reported with the plan', () => {
  const dir = join(tmp, 'fixture');
  writeSweepFixture(dir, 1, 0);
  const { plan, store } = openSweep({ path: dir }, undefined, undefined);
  try {
    const parent = plan.trials.find((t) => t.cell.model === 'randwire' && (t.config.model.graphs?.[0]?.edges.length ?? 0) >= 2)!;
    const [g0, ...rest] = parent.config.model.graphs!;
    const mutation = { kind: 'remove-edge' as const, removed: g0!.edges[0]! };
    const config = { ...parent.config, model: { ...parent.config.model, graphs: [{ ...g0!, ...applyMutation(g0!, mutation) }, ...rest] } };
    const child = deriveTrial(parent, config, 'evolved');
    assert.notEqual(child.id, parent.id);
    assert.notDeepEqual(child.graphHashes, parent.graphHashes);

    const first = addTrials(store, [{ trial: child, kind: 'child', parentId: parent.id, detail: { mutation, stage: 0 } }]);
    assert.equal(first.length, 1);
    // Added again (a coordinator that died after storing it, running again): nothing new.
    assert.equal(addTrials(store, [{ trial: child, kind: 'child', parentId: parent.id, detail: { mutation, stage: 0 } }]).length, 0);
    // A config that repeats a planned trial is refused, never stored as a second origin of that trial.
    assert.throws(() => addTrials(store, [{ trial: parent, kind: 'retrain', parentId: null, detail: {} }]), /in the sweep already/);

    const [o] = origins(store);
    assert.deepEqual([o!.seq, o!.kind, o!.parentId, o!.detail], [1, 'child', parent.id, { mutation, stage: 0 }]);
    const [back] = addedTrials(store);
    // As JSON: the trial id hashes the config's JSON, so that is what must come back unchanged.
    assert.equal(canonicalJson({ ...back!, position: 0 }), canonicalJson({ ...child, position: 0 }));
    assert.ok(back!.position > plan.trials.length);
    assert.deepEqual(
      sweepTrials(plan, store).map((t) => t.id),
      [...plan.trials.map((t) => t.id), child.id],
    );

    store.claim(child.id, process.pid);
    store.finish(
      child.id,
      { testAccuracy: 0.9, testLoss: 0.3, validationAccuracy: 0.91, validationLoss: 0.3, epochs: 3, seconds: 1, trainImagesPerSec: 1 } as RunSummary,
      [],
    );
  } finally {
    closeSweep(store);
  }
  const read = readSweep(dir);
  try {
    const results = collectResults(read.plan, read.store);
    assert.deepEqual(
      results.trials.map((t) => t.cell),
      ['evolved'],
    );
    assert.equal(results.cells.at(-1), 'evolved');
    assert.equal(results.pending, read.plan.trials.length);
  } finally {
    read.store.close();
  }
});
