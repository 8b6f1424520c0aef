import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { trainRun } from '../../src/experiment/run.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import type { RunOutcome } from '../../src/experiment/pause.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src/experiment/config.js';
import { loadModel } from '../../src/io/model-files.js';
import { RandwireError } from '../../src/core/errors.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-resume-');
const data = writeTinyMnist(join(tmp, 'data'), 400, 100);

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_TRAIN_CONFIG,
  model: { ...DEFAULT_TRAIN_CONFIG.model, model: 'randwire', channels: 4, nodes: 6, dropout: 0.2 },
  data,
  epochs: 2,
  batchSize: 50,
  microBatch: 25,
  valSize: 100,
  augment: 1,
  schedule: 'cosine',
  warmupEpochs: 0.5,
  backend: 'wasm',
  ...over,
});

/** The summary of a run that finished (an assertion: paused or stopped fails the test). */
function finished(o: RunOutcome): RunSummary {
  assert.equal(o.kind, 'finished', `the run ended ${o.kind}`);
  return (o as Extract<RunOutcome, { kind: 'finished' }>).summary;
}

const metricsOf = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const m = JSON.parse(l);
      delete m.seconds;
      delete m.imagesPerSec;
      return m;
    });

test('a run stopped mid-epoch and resumed gives exactly the result of an uninterrupted run', async () => {
  const straight = join(tmp, 'straight');
  const a = finished(await trainRun(config(), straight));
  for (const f of ['config.json', 'metrics.jsonl', 'summary.json', 'model/model.json', 'checkpoint/state.json', 'graphs/stage-1.json', 'graphs/stage-3.svg']) {
    assert.ok(existsSync(join(straight, f)), f);
  }
  assert.equal(metricsOf(straight).length, 2);

  const resumed = join(tmp, 'resumed');
  let batches = 0;
  const stopped = await trainRun(config(), resumed, {
    onEvent: (e) => {
      if (e.type === 'batch') batches++;
    },
    shouldStop: () => batches === 3,
  });
  assert.equal(stopped.kind, 'stopped', 'stopped early');
  assert.ok(existsSync(join(resumed, 'checkpoint', 'state.json')));
  const partial = await loadModel(join(resumed, 'checkpoint'));
  partial.dispose();
  await assert.rejects(trainRun(config(), resumed), (e: unknown) => e instanceof RandwireError && /--resume/.test(e.message));
  // Stop again exactly at the epoch boundary, then finish.
  batches = 0;
  const again = await trainRun(config(), resumed, {
    resume: true,
    onEvent: (e) => {
      if (e.type === 'batch') batches++;
    },
    shouldStop: () => batches >= 3,
  });
  assert.equal(again.kind, 'stopped');
  const b = finished(await trainRun(config(), resumed, { resume: true }));
  assert.deepEqual(metricsOf(resumed), metricsOf(straight));
  assert.equal(b.testLoss, a.testLoss);
  assert.equal(b.testAccuracy, a.testAccuracy);
  // A finished run resumed again is not retrained.
  const c = finished(await trainRun(config(), resumed, { resume: true }));
  assert.equal(c.finishedAt, b.finishedAt);
});

test('the same seed gives the same first-epoch loss; another seed does not', async () => {
  const one = finished(await trainRun(config({ epochs: 1, model: { ...config().model, model: 'tinycnn' } }), join(tmp, 's1')));
  const two = finished(await trainRun(config({ epochs: 1, model: { ...config().model, model: 'tinycnn' } }), join(tmp, 's2')));
  const other = finished(await trainRun(config({ epochs: 1, seed: 9, model: { ...config().model, model: 'tinycnn', seed: 9 } }), join(tmp, 's3')));
  assert.deepEqual(metricsOf(join(tmp, 's1')), metricsOf(join(tmp, 's2')));
  assert.equal(one.testLoss, two.testLoss);
  assert.notEqual(one.testLoss, other.testLoss);
});

test('invalid configs report every problem at once', async () => {
  await assert.rejects(
    trainRun(config({ epochs: 0, batchSize: 0, lr: -1 }), join(tmp, 'bad')),
    (e: unknown) => e instanceof RandwireError && /epochs/.test(e.message) && /batchSize/.test(e.message) && /lr/.test(e.message),
  );
});
