import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { tempFolder } from '../helpers/folder.js';

test('a trial collected without being started here (a worker finished it) shows one attempt, not 0', () => {
  const tmp = tempFolder('randwire-collected-');
  const file = join(tmp, 'collected.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'collected',
      nodes: 6,
      channels: 4,
      graphSeeds: 1,
      trainSeeds: 2,
      recipe: { epochs: 1 },
      cells: [{ generator: 'er', grid: { p: [0.3] } }],
    }),
  );
  const { plan, store } = openSweep({ path: file }, join(tmp, 'sweep'), undefined);
  try {
    const [collected, started] = plan.trials;
    const summary = {
      testAccuracy: 0.9,
      testLoss: 0.1,
      validationAccuracy: 0.9,
      validationLoss: 0.1,
      epochs: 1,
      seconds: 1,
      trainImagesPerSec: 1,
    } as RunSummary;
    store.finish(collected!.id, summary, []);
    store.claim(started!.id, process.pid);
    store.fail(started!.id, 'a crash', true);
    store.claim(started!.id, process.pid);
    store.finish(started!.id, summary, []);
    assert.equal(store.trial(collected!.id)?.attempts, 1);
    assert.equal(store.trial(started!.id)?.attempts, 2, 'a retried trial keeps its count');
  } finally {
    closeSweep(store);
  }
});
