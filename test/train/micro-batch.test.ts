import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan } from '../../src/model/registry.js';
import { buildModel } from '../../src/model/build.js';
import { batchGradients } from '../../src/train/step.js';
import { mnistBatch } from '../helpers/mnist.js';
import { relativeError } from '../helpers/tf.js';

before(() => initBackend('wasm'));

test('micro-batch gradient accumulation equals the full batch gradient', () => {
  // TinyCNN has no batch norm, so the two must agree up to float rounding.
  const model = buildModel(modelPlan({ ...DEFAULT_MODEL_OPTIONS, model: 'tinycnn' }, 1), 4);
  const { x, y } = mnistBatch(48);
  const opts = { classes: 10, labelSmoothing: 0.1, weightDecay: 1e-3 };
  const full = batchGradients(model, x, y, { ...opts, microBatch: 48 });
  const parts = batchGradients(model, x, y, { ...opts, microBatch: 10 });
  assert.ok(Math.abs(full.loss - parts.loss) < 1e-5, `loss ${full.loss} vs ${parts.loss}`);
  assert.equal(full.correct, parts.correct);
  assert.deepEqual(Object.keys(parts.grads), Object.keys(full.grads));
  for (const k of Object.keys(full.grads)) {
    const e = relativeError(parts.grads[k]!.dataSync(), full.grads[k]!.dataSync());
    assert.ok(e < 1e-4, `${k}: ${e}`);
  }
  tf.dispose([...Object.values(full.grads), ...Object.values(parts.grads), x, y]);
  model.dispose();
  assert.equal(tf.memory().numTensors, 0);
});
