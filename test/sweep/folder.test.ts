import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSweep } from '../../src/sweep/folder.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-sweep-folder-');
const spec = { name: 'grow', nodes: 8, channels: 4, graphSeeds: 2, recipe: { epochs: 1 }, cells: [{ generator: 'er', grid: { p: [0.3] } }] };
const write = (name: string, s: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(s));
  return p;
};

test('running an edited sweep adds only its new trials; a changed recipe of a sweep with results needs --new', () => {
  const dir = join(tmp, 'sweep');
  const first = openSweep({ path: write('a.json', spec) }, dir, undefined);
  assert.equal(first.added, 2);
  const doneId = first.plan.trials[0]!.id;
  first.store.claim(doneId, process.pid);
  first.store.finish(
    doneId,
    { testAccuracy: 0.5, testLoss: 1, validationAccuracy: null, validationLoss: null, epochs: 1, seconds: 1, trainImagesPerSec: 1 } as RunSummary,
    [],
  );
  first.store.close();

  // More seeds and a new cell: only those are new; the finished trial stays finished.
  const more = openSweep({ path: write('b.json', { ...spec, graphSeeds: 3, cells: [...spec.cells, { generator: 'ws', grid: { k: [2] } }] }) }, dir, undefined);
  assert.equal(more.added, 4);
  assert.equal(more.store.trial(doneId)?.status, 'done');
  assert.equal(more.store.trials().length, 6);
  more.store.close();

  const changed = write('c.json', { ...spec, recipe: { epochs: 2 } });
  assert.throws(
    () => openSweep({ path: changed }, dir, undefined),
    /changes the training recipe of .*sweep, which has 1 finished trial; run it into a new folder with --new DIR/,
  );
  assert.throws(() => openSweep({ path: changed }, undefined, dir), /--new .* already holds a sweep/);
  const fresh = openSweep({ path: changed }, undefined, join(tmp, 'fresh'));
  assert.equal(fresh.added, 2);
  fresh.store.close();
});
