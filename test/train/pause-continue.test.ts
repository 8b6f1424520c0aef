import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAsync, type CliResult } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-pause-');
const data = writeTinyMnist(join(tmp, 'data'), 400, 100);
const EPOCHS = 3;
// A RandWire model with dropout and augmentation: every seeded draw of the loop is exercised.
const model = ['--model', 'randwire', '--channels', '4', '--nodes', '6', '--dropout', '0.2', '--augment', '1'];
const training = [
  '--data',
  data,
  '--epochs',
  String(EPOCHS),
  '--batch-size',
  '50',
  '--micro-batch',
  '25',
  '--val-size',
  '100',
  '--warmup',
  '0.5',
  '--backend',
  'wasm',
];
const LONG = { timeoutMs: 600_000 };

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Timing fields differ between any two runs (wall-clock seconds and images per second, and the
 * finishing time): they are removed, every other field is compared as written.
 */
const TIMING = new Set(['seconds', 'imagesPerSec', 'trainImagesPerSec', 'finishedAt']);
const withoutTiming = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(withoutTiming);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !TIMING.has(k))
        .map(([k, x]) => [k, withoutTiming(x)]),
    );
  return v;
};
const jsonWithoutTiming = (file: string): unknown => withoutTiming(JSON.parse(readFileSync(file, 'utf8')));
const metricsWithoutTiming = (dir: string): unknown[] =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => withoutTiming(JSON.parse(l)));

function oneLineError(r: CliResult, message: RegExp, what: string): void {
  assert.notEqual(r.status, 0, `${what} should fail`);
  assert.match(r.stderr, message, what);
  assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: one line expected, got: ${r.stderr.slice(0, 500)}`);
}

function pausedAfter(r: CliResult, epoch: number, dir: string, what: string): void {
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  assert.match(r.stdout, new RegExp(`^paused after epoch ${epoch} of ${EPOCHS} \\| validation accuracy \\d+\\.\\d\\d % \\|`), what);
  assert.equal(existsSync(join(dir, 'summary.json')), false, `${what}: a paused run has no summary.json`);
  assert.equal(existsSync(join(dir, 'model')), false, `${what}: a paused run has no model/`);
  assert.equal(metricsWithoutTiming(dir).length, epoch, `${what}: metrics of epochs 1..${epoch}`);
  const state = JSON.parse(readFileSync(join(dir, 'checkpoint', 'state.json'), 'utf8'));
  assert.deepEqual([state.epoch, state.batch], [epoch, 0], `${what}: checkpoint at the end of epoch ${epoch}`);
}

test('a run paused at epoch 1, continued to 2, then to the end is byte for byte the uninterrupted run', async () => {
  const straightDir = join(tmp, 'straight');
  const pausedDir = join(tmp, 'paused');
  // The uninterrupted run trains while the paused one goes through its stops.
  const straight = runCliAsync(['train', ...model, ...training, '--out', straightDir], LONG);

  pausedAfter(runCli(['train', ...model, ...training, '--out', pausedDir, '--stop-after-epoch', '1'], LONG), 1, pausedDir, 'stop after 1');
  oneLineError(runCli(['eval', pausedDir]), /has not finished training/, 'eval of a paused run');
  // Out of range, on a resume (the run's config.json says 3 epochs) and before a run exists.
  oneLineError(
    runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', '4']),
    /cannot stop after epoch 4: the run trains epochs 1 to 3/,
    'K above the epochs',
  );
  // K = 0 is refused by the flag's parser: commander's usage error, as for every integer flag.
  const zero = runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', '0']);
  assert.notEqual(zero.status, 0);
  assert.match(zero.stderr, /^error: option '--stop-after-epoch <k>' argument '0' is invalid\. must be a positive integer\.\n/);
  const never = join(tmp, 'never');
  oneLineError(
    runCli(['train', ...model, ...training, '--out', never, '--stop-after-epoch', '9']),
    /cannot stop after epoch 9: the run trains epochs 1 to 3/,
    'K above --epochs on a new run',
  );
  assert.equal(existsSync(never), false, 'nothing written for a refused stop epoch');

  pausedAfter(runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', '2'], LONG), 2, pausedDir, 'continue to 2');
  const at2 = sha(join(pausedDir, 'checkpoint', 'weights.bin'));
  oneLineError(
    runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', '1']),
    /cannot stop after epoch 1: .* has trained 2 epochs already, and a run cannot go back/,
    'K below what is trained',
  );
  // Asked again to pause where it stands: nothing trains, the checkpoint is untouched.
  pausedAfter(runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', '2'], LONG), 2, pausedDir, 'again at 2');
  assert.equal(sha(join(pausedDir, 'checkpoint', 'weights.bin')), at2);

  const end = runCli(['train', '--out', pausedDir, '--resume'], LONG);
  assert.equal(end.status, 0, end.stderr);
  assert.match(end.stdout, /^test accuracy/);
  const s = await straight;
  assert.equal(s.status, 0, s.stderr);

  for (const f of [
    'config.json',
    'checkpoint/weights.bin',
    'checkpoint/model.json',
    'checkpoint/optimizer.bin',
    'checkpoint/optimizer.json',
    'model/weights.bin',
    'model/model.json',
  ]) {
    assert.equal(sha(join(pausedDir, f)), sha(join(straightDir, f)), `${f}: SHA-256 of the paused-and-continued run differs from the uninterrupted run's`);
  }
  assert.equal(metricsWithoutTiming(pausedDir).length, EPOCHS);
  assert.deepEqual(metricsWithoutTiming(pausedDir), metricsWithoutTiming(straightDir), 'metrics.jsonl apart from timing');
  assert.deepEqual(
    jsonWithoutTiming(join(pausedDir, 'checkpoint', 'state.json')),
    jsonWithoutTiming(join(straightDir, 'checkpoint', 'state.json')),
    'checkpoint state apart from timing',
  );
  assert.deepEqual(jsonWithoutTiming(join(pausedDir, 'summary.json')), jsonWithoutTiming(join(straightDir, 'summary.json')), 'summary apart from timing');

  // A finished run cannot be sent back to an earlier rung; asked for its last epoch, it is simply finished.
  oneLineError(runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', '2']), /has trained 3 epochs already/, 'K below a finished run');
  const last = runCli(['train', '--out', pausedDir, '--resume', '--stop-after-epoch', String(EPOCHS)]);
  assert.equal(last.status, 0, last.stderr);
  assert.match(last.stdout, /^test accuracy/);
});
