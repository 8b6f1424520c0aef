import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-seeding-');
after(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

test('randwire graph: seeding 2 by default and written in the JSON; --seeding 1 gives the old graph and no field', () => {
  const v2 = runCli(['graph', 'rgg', '--seed', '1', '--json']);
  assert.equal(v2.status, 0, v2.stderr);
  const g2 = JSON.parse(v2.stdout);
  assert.equal(g2.seeding, 2);
  const file = join(tmp, 'v1.json');
  const v1 = runCli(['graph', 'rgg', '--seed', '1', '--seeding', '1', '--json', '--out', file]);
  assert.equal(v1.status, 0, v1.stderr);
  const g1 = JSON.parse(v1.stdout);
  assert.ok(!('seeding' in g1), 'a seeding-1 file looks like one made before seeding 2');
  assert.notDeepEqual(g1.edges, g2.edges);
  const shown = runCli(['graph', 'show', file, '--json']);
  assert.deepEqual(JSON.parse(shown.stdout).edges, g1.edges);
  const bad = runCli(['graph', 'rgg', '--seeding', '3']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--seeding.*choose 1 or 2/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});

test('a run without a seeding field (made before 2026-12-04) resumes with seeding 1 and says so; a new run records seeding 2', async () => {
  const data = writeTinyMnist(join(tmp, 'data'), 400, 100);
  const tiny = ['--model', 'tinycnn', '--data', data, '--epochs', '2', '--train-limit', '200', '--val-size', '100', '--batch-size', '50', '--backend', 'wasm'];
  const LONG = { timeoutMs: 600_000 };
  const whole = join(tmp, 'whole');
  const fresh = join(tmp, 'new');
  // The uninterrupted runs train while the stopped one goes through its stop and resume.
  const uninterrupted = Promise.all([
    runCliAsync(['train', ...tiny, '--seeding', '1', '--out', whole], LONG),
    runCliAsync(['train', ...tiny, '--out', fresh], LONG),
  ]);

  const old = join(tmp, 'old');
  const first = runCli(['train', ...tiny, '--seeding', '1', '--stop-after-epoch', '1', '--out', old], LONG);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^paused after epoch 1 of 2 /);
  assert.ok(!existsSync(join(old, 'summary.json')), 'stopped after epoch 1: unfinished');
  const config = JSON.parse(readFileSync(join(old, 'config.json'), 'utf8'));
  assert.ok(!('seeding' in config), 'seeding 1 is stored as absent, as in every older config.json');
  const resumed = runCli(['train', '--out', old, '--resume'], LONG);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal(resumed.stderr.match(/uses seeding 1/g)?.length, 1, resumed.stderr);
  assert.match(resumed.stderr, /uses seeding 1 \(made before 2026-12-04/);
  assert.equal(JSON.parse(readFileSync(join(old, 'summary.json'), 'utf8')).epochs, 2, 'resumed to the end');

  const [straight, r] = await uninterrupted;
  assert.equal(straight!.status, 0, straight!.stderr);
  assert.equal(r!.status, 0, r!.stderr);
  const weights = (dir: string): string => sha(join(dir, 'model', 'weights.bin'));
  assert.equal(weights(old), weights(whole), 'stopped and resumed with seeding 1: byte for byte the uninterrupted seeding-1 run');
  assert.notEqual(weights(fresh), weights(whole), 'seeding 2 draws other streams');
  const summary = JSON.parse(readFileSync(join(whole, 'summary.json'), 'utf8'));

  // A config file without the field (a copy of an older run's config.json) trains with seeding 1 too.
  const copy = runCli(['train', '--config', join(old, 'config.json'), '--out', join(tmp, 'copy')], { timeoutMs: 300_000 });
  assert.equal(copy.status, 0, copy.stderr);
  assert.match(copy.stderr, /names no seeding: the run uses seeding 1/);
  assert.ok(!('seeding' in JSON.parse(readFileSync(join(tmp, 'copy', 'config.json'), 'utf8'))));
  assert.equal(JSON.parse(readFileSync(join(tmp, 'copy', 'summary.json'), 'utf8')).testAccuracy, summary.testAccuracy, 'the same streams, the same result');
  assert.equal(weights(join(tmp, 'copy')), weights(whole));

  assert.equal(JSON.parse(readFileSync(join(fresh, 'config.json'), 'utf8')).seeding, 2);
  assert.doesNotMatch(r!.stderr, /seeding 1/);
  const bad = runCli(['train', ...tiny, '--seeding', '2.0', '--out', join(tmp, 'bad')]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /choose 1 or 2/);
});
