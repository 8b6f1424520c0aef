import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { loadIdxDirectory } from '../../src/data/idx-files.js';
import { writeGreyPng } from '../../src/data/png.js';
import { LIMITS } from '../../src/core/limits.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-user-errors-');
const data = writeTinyMnist(join(tmp, 'data'), 200, 60);
const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));

function oneLine(args: string[], message: RegExp): void {
  const r = runCli(args);
  assert.notEqual(r.status, 0, args.join(' '));
  assert.match(r.stderr, message, args.join(' '));
  assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr.slice(0, 300)}`);
}

test('randwire info | head -1 ends quietly (EPIPE is not an error)', () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" info | head -1; exit \${PIPESTATUS[0]}`], {
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  assert.ok(!r.error, `randwire info | head -1 did not end: ${r.error?.message}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^backend /);
});

test('sizes past the documented limits are one-line errors', () => {
  oneLine(['graph', 'er', '--nodes', '20000'], new RegExp(`nodes must be at most ${LIMITS.graphNodes}, got 20000`));
  oneLine(['graph', 'ws', '--nodes', '1e9'], /nodes must be at most \d+, got 1000000000/);
  oneLine(['model', 'randwire', '--nodes', '5000'], /nodes must be at most/);
  oneLine(['model', 'randwire', '--input', '5000x5000x1'], /input shape must be at most 1024x1024x4/);
  oneLine(['model', 'randwire', '--channels', '100000'], /channels must be at most 2048/);
});

test('writing to a path that is a directory says so and leaves no temporary file', () => {
  const dir = join(tmp, 'a-directory');
  mkdirSync(dir);
  oneLine(['graph', 'ws', '--out', dir], /a-directory is a directory; give a file name/);
  oneLine(['graph', 'ws', '--svg', dir], /is a directory; give a file name/);
  assert.deepEqual(
    readdirSync(tmp).filter((f) => f.includes('.tmp-')),
    [],
  );
});

test('eval needs only the test files, scores any subset, and predict scores every readable image', () => {
  const run = join(tmp, 'run');
  const t = runCli([
    'train',
    '--model',
    'tinycnn',
    '--data',
    data,
    '--epochs',
    '1',
    '--batch-size',
    '50',
    '--val-size',
    '20',
    '--test-limit',
    '20',
    '--backend',
    'wasm',
    '--out',
    run,
  ]);
  assert.equal(t.status, 0, t.stderr);
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
  const testOnly = join(tmp, 'test-only');
  mkdirSync(testOnly);
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) copyFileSync(join(data, f), join(testOnly, f));
  const ev = (...args: string[]) => {
    const r = runCli(['eval', run, '--json', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { testAccuracy: number; testImages: number };
  };
  assert.equal(ev().testImages, 20);
  assert.equal(ev().testAccuracy, summary.testAccuracy);
  assert.equal(ev('--data', testOnly).testAccuracy, summary.testAccuracy);
  assert.equal(ev('--full-test-set').testImages, 60);
  assert.equal(ev('--test-limit', '50').testImages, 50);

  const test = loadIdxDirectory(data).test;
  const good = join(tmp, 'digit.png');
  writeFileSync(good, writeGreyPng(test.images.subarray(0, 784), 28, 28));
  const bad = join(tmp, 'bad.png');
  writeFileSync(bad, 'GIF89a, not a png');
  // A damaged metrics.jsonl in a results folder: randwire report names the file and line.
  const results = join(tmp, 'results');
  cpSync(run, join(results, 'runs', 'tinycnn'), { recursive: true });
  writeFileSync(join(results, 'runs', 'tinycnn', 'metrics.jsonl'), '{"epoch": 1, "trainLoss"\n');
  oneLine(['report', results], /metrics\.jsonl line 1 is not valid JSON/);

  const p = runCli(['predict', run, bad, good, join(tmp, 'missing.png')]);
  assert.equal(p.status, 1);
  assert.match(p.stdout, /digit\.png: \d \(/);
  assert.deepEqual(p.stderr.trim().split('\n'), [
    `randwire: data: ${bad} is not a valid PNG image (damaged, truncated or another format)`,
    `randwire: data: image not found: ${join(tmp, 'missing.png')}`,
    'randwire: predict: 2 of 3 images could not be read (listed above); the others were scored',
  ]);
});

test('a partial --config is merged over the defaults; unknown or bad settings are all named', () => {
  const partial = join(tmp, 'partial.json');
  writeFileSync(partial, JSON.stringify({ epochs: 1, batchSize: 50, model: { model: 'tinycnn' } }));
  const out = join(tmp, 'from-config');
  const r = runCli(['train', '--config', partial, '--data', data, '--val-size', '20', '--backend', 'wasm', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.deepEqual([config.epochs, config.batchSize, config.model.model, config.lr, config.valSize], [1, 50, 'tinycnn', 1e-3, 20]);
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, JSON.stringify({ epoch: 3, lr: -1, model: { chanels: 8 } }));
  oneLine(['train', '--config', bad, '--out', join(tmp, 'never')], /model: Unrecognized key: "chanels".*lr: .*Unrecognized key: "epoch"/);
  writeFileSync(bad, '[1, 2]');
  oneLine(['train', '--config', bad, '--out', join(tmp, 'never')], /must hold a JSON object of training settings/);
});

test('reproduce --help gives the measured preset times', () => {
  const r = runCli(['reproduce', '--help']);
  assert.match(r.stdout.replace(/\s+/g, ' '), /quick: about 80 s/);
  assert.doesNotMatch(r.stdout, /10 minute/);
});
