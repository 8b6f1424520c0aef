import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

test('a sweep with analysis.damage reports the drop per cell over its graphs, and the best predictor', () => {
  const tmp = tempFolder('randwire-sweep-damage-');
  // Enough data for models well above chance (about 60 %), so that removals cost accuracy.
  const data = writeTinyMnist(join(tmp, 'data'), 1300, 100);
  const spec = join(tmp, 'damage.json');
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'damage',
      data,
      recipe: { epochs: 2, batchSize: 32, lr: 0.01, valSize: 100 },
      nodes: 5,
      channels: 4,
      graphSeeds: 2,
      trainSeeds: 1,
      analysis: { damage: true, damageTestLimit: 80 },
      cells: [{ generator: 'er', grid: { p: [0.5] } }, { model: 'tinycnn' }],
    }),
  );
  const out = join(tmp, 'sweep');
  const r = runCli(['sweep', 'run', spec, '--out', out, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(out, 'report', 'table.md'), 'utf8');
  assert.match(table, /## Graph damage/);
  assert.match(table, /\| er\(p=0\.5\) \| er \| 2 \| -?\d+\.\d+ \+\/- \d+\.\d+ \| -?\d+\.\d+ \+\/- \d+\.\d+ \|/);
  assert.match(table, /Best across families: removed nodes: \w+ \(mean Spearman rho -?\d\.\d{3}\); removed edges: \w+ \(mean Spearman rho -?\d\.\d{3}\)\./);
  const drops = [...table.matchAll(/\| er\(p=0\.5\) \| er \| 2 \| (-?\d+\.\d+) \+\/- \d+\.\d+ \| (-?\d+\.\d+)/g)][0]!;
  assert.ok(Number(drops[1]) > 0 && Number(drops[2]) > 0, `removals cost accuracy: ${drops[0]}`);
  const csv = readFileSync(join(out, 'report', 'damage.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.deepEqual(csv[0], 'cell,family,trials,graphs,node_drop_mean,node_drop_std,edge_drop_mean,edge_drop_std');
  assert.equal(csv.length, 2, 'one row: the baseline has no graph');
  // Each trial's damage is kept with it and reused by the next report.
  const trials = readFileSync(join(out, 'report', 'trials.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => l.includes(',randwire,'))
    .map((l) => l.split(',')[0]!);
  const files = trials.map((id) => join(out, 'trials', id, 'damage', 'damage.json'));
  for (const f of files) assert.ok(existsSync(f), f);
  const before = files.map((f) => statSync(f).mtimeMs);
  const again = runCli(['sweep', 'report', out]);
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /damage: /);
  assert.deepEqual(
    files.map((f) => statSync(f).mtimeMs),
    before,
  );
  assert.equal(readFileSync(join(out, 'report', 'table.md'), 'utf8').match(/## Graph damage[\s\S]*/)![0], table.match(/## Graph damage[\s\S]*/)![0]);
  // A report killed while damaging a trial leaves no damage.json there (written last): only that trial is done again.
  rmSync(files[0]!);
  const resumed = runCli(['sweep', 'report', out]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal(resumed.stderr.match(/^damage: /gm)?.length, 1, resumed.stderr);
  assert.equal(readFileSync(join(out, 'report', 'table.md'), 'utf8').match(/## Graph damage[\s\S]*/)![0], table.match(/## Graph damage[\s\S]*/)![0]);
});
