import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_NAMES } from '../../src/model/registry.js';
import { runCli } from '../helpers/cli.js';
import { runCliWatching } from '../helpers/cli-process.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

// Real processes, as a user interrupts them: Ctrl-C mid-epoch (a mid-epoch checkpoint), then
// kill -9 once the first epoch's checkpoint is on disk (the epoch in flight is lost), then a
// resume to the end. Weights and metrics must equal those of an uninterrupted run to the byte.
const tmp = tempFolder('randwire-resume-all-');
const data = writeTinyMnist(join(tmp, 'data'), 260, 40);

const args = (model: string, backend: string, out: string): string[] => [
  'train',
  '--model',
  model,
  '--backend',
  backend,
  '--data',
  data,
  '--out',
  out,
  '--epochs',
  '2',
  '--batch-size',
  '30',
  '--micro-batch',
  '15',
  '--val-size',
  '20',
  '--augment',
  '1',
  '--warmup',
  '0.5',
  '--channels',
  '4',
  '--nodes',
  '6',
  '--dropout',
  '0.3',
  '--generator',
  'ws',
];

const metrics = (dir: string): unknown[] =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const m = JSON.parse(l) as Record<string, unknown>;
      delete m.seconds;
      delete m.imagesPerSec;
      return m;
    });

const summaryNumbers = (dir: string) => {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { testAccuracy: number; testLoss: number };
  return [s.testAccuracy, s.testLoss];
};

const backends = process.env.RANDWIRE_REQUIRE_NATIVE ? ['auto', 'wasm'] : ['wasm'];

for (const backend of backends) {
  for (const model of MODEL_NAMES) {
    // The wasm path of every model is covered in-process by resume.test.ts; here the slow ones run on the default backend.
    if (backend === 'wasm' && backends.length > 1 && model !== 'handmadecnn') continue;
    test(`${model} (${backend}): Ctrl-C mid-epoch and kill -9 after an epoch resume to the uninterrupted result, byte for byte`, async () => {
      const straight = join(tmp, `${model}-${backend}-straight`);
      const cut = join(tmp, `${model}-${backend}-cut`);
      const a = runCli(args(model, backend, straight));
      assert.equal(a.status, 0, a.stderr);

      const first = await runCliWatching(args(model, backend, cut), (line, child) => {
        if (/epoch 1 batch 3\//.test(line)) child.kill('SIGINT');
      });
      assert.equal(first.code, 130, first.stderr);
      assert.match(first.stderr, /stopped at epoch 1, batch [3-7]; checkpoint saved/);

      const second = await runCliWatching([...args(model, backend, cut), '--resume'], (line, child) => {
        if (/epoch 1: train loss/.test(line)) child.kill('SIGKILL');
      });
      assert.equal(second.signal, 'SIGKILL', second.stderr);
      assert.match(second.stderr, /resuming .* at epoch 1, batch [4-8]/);

      const third = runCli([...args(model, backend, cut), '--resume']);
      assert.equal(third.status, 0, third.stderr);
      assert.match(third.stderr, /resuming .* at epoch 2, batch 1/);
      assert.deepEqual(metrics(cut), metrics(straight));
      assert.deepEqual(summaryNumbers(cut), summaryNumbers(straight));
      assert.ok(readFileSync(join(cut, 'model', 'weights.bin')).equals(readFileSync(join(straight, 'model', 'weights.bin'))), 'weights differ');
    });
  }
}
