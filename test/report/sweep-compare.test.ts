import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import { writeHalvingFixture } from '../helpers/search-fixture.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { compareSweeps } from '../../src/report/sweep-compare.js';

const tmp = tempFolder('randwire-compare-');

test('two sweeps of one name are told apart by their folders; a sweep with nothing trained yet is a row of zeros and no curve', async () => {
  const a = join(tmp, 'a');
  const b = join(tmp, 'b');
  writeHalvingFixture(a, 'same', 3, 4);
  writeHalvingFixture(b, 'same', 3, 0);
  const fresh = join(tmp, 'fresh');
  writeSweepFixture(fresh, 1, 0);
  const out = join(tmp, 'out');
  const r = await compareSweeps([a, b, fresh], out);
  assert.deepEqual(
    r.summaries.map((s) => [s.sweep, s.strategy, s.trialsTrained, s.epochs, s.bestValAccuracy]),
    [
      [a, 'halving', 4, 4, null],
      [b, 'halving', 0, 0, null],
      ['fixture', 'grid', 0, 0, null],
    ],
  );
  const curves = readFileSync(join(out, 'anytime.csv'), 'utf8').trim().split('\n').slice(1);
  assert.deepEqual([...new Set(curves.map((l) => l.split(',')[0]))], [a], 'only the sweep with results has points');
  assert.ok(!existsSync(join(out, 'retrains.csv')), 'no retrains, no retrain table');
  assert.match(readFileSync(join(out, 'table.md'), 'utf8'), /\| fixture \| grid \| 0 \| 0 \| 0 s \| - \| - \| - \|/);
  await assert.rejects(compareSweeps([], out), /give at least one sweep folder/);
});
