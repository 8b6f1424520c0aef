import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { runCliWatching } from '../helpers/cli-process.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { loadIdxDirectory } from '../../src/data/idx-files.js';
import { writeGreyPng } from '../../src/data/png.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-train-cli-');
const data = writeTinyMnist(join(tmp, 'data'), 3000, 200);
const common = ['--data', data, '--batch-size', '64', '--val-size', '300', '--backend', 'wasm'];

test('train, eval and predict on a small IDX data set', () => {
  const out = join(tmp, 'run');
  const r = runCli(['train', '--model', 'tinycnn', '--epochs', '2', ...common, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /epoch 2: train loss/);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  for (const key of ['model', 'config', 'testAccuracy', 'testLoss', 'params', 'flops', 'epochs', 'seconds', 'backend']) assert.ok(key in summary, key);
  assert.equal(summary.epochs, 2);
  assert.equal(summary.backend, 'wasm');
  // The model file carries its input preprocessing: a browser needs nothing else to predict.
  const modelJson = JSON.parse(readFileSync(join(out, 'model', 'model.json'), 'utf8'));
  assert.deepEqual(modelJson.userDefinedMetadata.randwirePreprocessing, {
    pixelScale: 255,
    ...summary.normalization,
    inputShape: [28, 28, 1],
    layout: 'NHWC',
    foreground: 'light-on-dark',
  });
  // A real training on 2,700 images must beat chance (10 %) by far.
  assert.ok(summary.testAccuracy > 0.85, `test accuracy ${summary.testAccuracy}`);
  const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(metrics.length, 2);
  for (const k of ['epoch', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'lr', 'seconds', 'imagesPerSec']) assert.ok(k in metrics[1], k);

  const ev = runCli(['eval', out, '--json']);
  assert.equal(ev.status, 0, ev.stderr);
  const e = JSON.parse(ev.stdout);
  assert.equal(e.testAccuracy, summary.testAccuracy);
  assert.equal(e.testLoss, summary.testLoss);

  // PNGs of test digits: predict must agree with the model on the raw test images.
  const test = loadIdxDirectory(data).test;
  const files: string[] = [];
  for (let i = 0; i < 8; i++) {
    const f = join(tmp, `digit-${i}.png`);
    writeFileSync(f, writeGreyPng(test.images.subarray(i * 784, (i + 1) * 784), 28, 28));
    files.push(f);
  }
  const p = runCli(['predict', out, ...files, '--json']);
  assert.equal(p.status, 0, p.stderr);
  const preds = p.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const correct = preds.filter((q, i) => q.prediction === test.labels[i]).length;
  assert.ok(correct >= 6, `${correct}/8 test digits classified correctly`);
  for (const q of preds) assert.ok(Math.abs(q.probabilities.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-4);

  const again = runCli(['train', '--model', 'tinycnn', '--epochs', '2', ...common, '--out', out]);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /already holds a run; pass --resume/);
});

test('bad flags and files give one-line errors', () => {
  const cases: Array<[string[], RegExp]> = [
    [['train', '--model', 'vgg', '--out', join(tmp, 'x')], /--model.*choose one of randwire, tinycnn, handmadecnn, alexnet/],
    [['train', '--epochs', '-1', '--out', join(tmp, 'x')], /must be a positive integer/],
    [['train', '--batch-size', '0', '--out', join(tmp, 'x')], /must be a positive integer/],
    [['train', '--optimizer', 'rmsprop', '--out', join(tmp, 'x')], /choose one of adam, sgd/],
    [['train', '--model', 'tinycnn'], /required option '--out <dir>'/],
    [['train', '--data', join(tmp, 'nowhere'), '--out', join(tmp, 'y')], /data directory not found/],
    [['train', '--lr', '-3', '--out', join(tmp, 'z')], /lr: /],
    [['eval', join(tmp, 'nothing')], /not found|not a run folder/],
    [['predict', join(tmp, 'run'), join(tmp, 'missing.png')], /image not found/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace: ${args.join(' ')}`);
  }
});

test('Ctrl-C stops at a safe point with a loadable checkpoint, and --resume finishes the run', async () => {
  const out = join(tmp, 'interrupted');
  const { code, stderr } = await runCliWatching(['train', '--model', 'tinycnn', '--epochs', '3', ...common, '--out', out], (line, child) => {
    if (/batch \d+\/\d+/.test(line) && !child.killed) child.kill('SIGINT');
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, /checkpoint saved/);
  assert.ok(existsSync(join(out, 'checkpoint', 'model.json')));
  assert.ok(!existsSync(join(out, 'summary.json')));
  const r = runCli(['train', '--out', out, '--resume']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /resuming/);
  // The run's model names its epochs, not the --model default (randwire).
  assert.match(r.stderr, /^tinycnn epoch \d+/m);
  assert.doesNotMatch(r.stderr, /^randwire epoch/m);
  assert.equal(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).epochs, 3);
});
