import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { folderSnapshot, tempFolder } from '../helpers/folder.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { checkDamageOut } from '../../src/cli/damage-out.js';
import { damageProgressLines } from '../../src/cli/damage-progress.js';

const tmp = tempFolder('randwire-damage-out-');
const repo = fileURLToPath(new URL('../..', import.meta.url));

test("damage into a run's committed damage/ of other settings is refused before any work; the same settings or --force replace it", () => {
  const run = join(tmp, 'randwire-ws');
  cpSync(join(repo, 'results/mnist-cpu/runs/randwire-ws'), run, { recursive: true });
  const before = folderSnapshot(join(run, 'damage'));
  for (const args of [['--test-limit', '100'], [], ['--what', 'edges', '--test-limit', '2000']]) {
    const r = runCli(['damage', run, ...args]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /^randwire: damage: .*randwire-ws\/damage holds a result for --what both --test-limit 2000, not --what \w+ .*; give --force to replace it, or --out another folder\n$/,
    );
  }
  assert.deepEqual(folderSnapshot(join(run, 'damage')), before, 'nothing written');
  // The library check: the committed result's own settings, --force, a new folder, a damaged file.
  const out = join(run, 'damage');
  checkDamageOut(out, { what: 'both', testLimit: 2000 }, false);
  checkDamageOut(out, { what: 'nodes', testLimit: null }, true);
  checkDamageOut(join(tmp, 'new'), { what: 'nodes', testLimit: null }, false);
  const broken = join(tmp, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'damage.json'), '{"nodes": [');
  assert.throws(
    () => checkDamageOut(broken, { what: 'both', testLimit: null }, false),
    /^RandwireError: damage: .*broken\/damage\.json is not valid JSON \(.*\); give --force to replace it, or --out another folder$/,
  );
  writeFileSync(join(broken, 'damage.json'), '[1, 2]');
  assert.throws(() => checkDamageOut(broken, { what: 'both', testLimit: null }, false), /damage\.json cannot be read as a damage result; give --force/);
  writeFileSync(join(broken, 'damage.json'), JSON.stringify({ options: { what: 'nodes', testLimit: 20 } }));
  checkDamageOut(broken, { what: 'nodes', testLimit: 20 }, false);
  assert.throws(
    () => checkDamageOut(broken, { what: 'nodes', testLimit: null }, false),
    /holds a result for --what nodes --test-limit 20, not --what nodes \(the run's own test set\)/,
  );
  // Recorded settings are exact: a --test-limit as large as the run's test set is still another request.
  assert.throws(() => checkDamageOut(broken, { what: 'nodes', testLimit: null }, false, 20), /holds a result for --what nodes --test-limit 20/);
});

test("an older damage.json (no options) measured on the run's own test set is not refused on the same request", () => {
  const out = join(tmp, 'legacy');
  mkdirSync(out);
  writeFileSync(join(out, 'damage.json'), JSON.stringify({ run: 'r', testImages: 10000, accuracy: 0.99, nodes: [{}], edges: [{}] }));
  checkDamageOut(out, { what: 'both', testLimit: null }, false, 10000);
  checkDamageOut(out, { what: 'both', testLimit: 10000 }, false, 10000);
  assert.throws(
    () => checkDamageOut(out, { what: 'both', testLimit: null }, false, 5000),
    /holds a result for --what both --test-limit 10000, not --what both \(the run's own test set\)/,
  );
  assert.throws(
    () => checkDamageOut(out, { what: 'both', testLimit: null }, false),
    /holds a result for --what both --test-limit 10000/,
    "without the run's test-set size nothing matches a count",
  );
  assert.throws(
    () => checkDamageOut(out, { what: 'nodes', testLimit: null }, false, 10000),
    /holds a result for --what both --test-limit 10000, not --what nodes/,
  );
});

test('a damage.json past the documented 32 MiB read limit is refused in one line without being read', () => {
  const out = join(tmp, 'huge');
  mkdirSync(out);
  writeFileSync(join(out, 'damage.json'), '');
  truncateSync(join(out, 'damage.json'), 33 * 1024 * 1024);
  assert.throws(
    () => checkDamageOut(out, { what: 'both', testLimit: null }, false, 10000),
    /^RandwireError: damage: damage result .*huge\/damage\.json is 33 MiB, more than the 32 MiB randwire reads from a text or JSON file; give --force to replace it, or --out another folder$/,
  );
  checkDamageOut(out, { what: 'both', testLimit: null }, true);
});

test('damage prints its progress while it works and records its settings; --force replaces a result of other settings', () => {
  const data = writeTinyMnist(join(tmp, 'data'), 200, 40);
  const run = join(tmp, 'rw');
  const t = runCli([
    'train',
    '--model',
    'randwire',
    '--nodes',
    '5',
    '--channels',
    '4',
    '--data',
    data,
    '--epochs',
    '1',
    '--batch-size',
    '50',
    '--val-size',
    '50',
    '--backend',
    'wasm',
    '--out',
    run,
  ]);
  assert.equal(t.status, 0, t.stderr);
  const first = runCli(['damage', run, '--what', 'nodes', '--test-limit', '20']);
  assert.equal(first.status, 0, first.stderr);
  const lines = first.stderr.split('\n').filter((l) => l.startsWith('damage: '));
  assert.match(lines[0]!, /^damage: \d+ % \(test images 1-20 of 20: removal 0 of \d+\)/);
  assert.match(lines.at(-1)!, /^damage: 100 % \(test images 1-20 of 20: removal (\d+) of \1\)$/);
  const recorded = (): unknown => (JSON.parse(readFileSync(join(run, 'damage', 'damage.json'), 'utf8')) as { options: unknown }).options;
  assert.deepEqual(recorded(), { what: 'nodes', testLimit: 20 });
  const again = runCli(['damage', run, '--what', 'nodes', '--test-limit', '20']);
  assert.equal(again.status, 0, 'the same settings are measured again');
  const other = runCli(['damage', run, '--what', 'edges']);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /holds a result for --what nodes --test-limit 20, not --what edges \(the run's own test set\)/);
  const forced = runCli(['damage', run, '--what', 'edges', '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.deepEqual(recorded(), { what: 'edges', testLimit: null });
  // The same result as an older version wrote it (no options): the same request measures it again.
  const file = join(run, 'damage', 'damage.json');
  const legacy = JSON.parse(readFileSync(file, 'utf8')) as { options?: unknown; testImages: number };
  delete legacy.options;
  assert.equal(legacy.testImages, 40, "the run's own test set");
  writeFileSync(file, JSON.stringify(legacy));
  const rerun = runCli(['damage', run, '--what', 'edges']);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.deepEqual(recorded(), { what: 'edges', testLimit: null });
  writeFileSync(file, JSON.stringify(legacy));
  const fewer = runCli(['damage', run, '--what', 'edges', '--test-limit', '20']);
  assert.equal(fewer.status, 1);
  assert.match(fewer.stderr, /holds a result for --what edges --test-limit 40, not --what edges --test-limit 20/);
});

test('progress lines: the first at once, then at most one every few seconds, and the last', () => {
  let text = '';
  const report = damageProgressLines({ write: (s: string) => (text += s) } as unknown as NodeJS.WritableStream, 60_000);
  for (let i = 1; i <= 10; i++) report({ fraction: i / 10, removalsDone: i, removals: 10, firstImage: 1, lastImage: 5, images: 5 });
  assert.deepEqual(
    text
      .trim()
      .split('\n')
      .map((l) => l.replace(/, about .* left/, '')),
    ['damage: 10 % (test images 1-5 of 5: removal 0 of 9)', 'damage: 100 % (test images 1-5 of 5: removal 9 of 9)'],
  );
});
