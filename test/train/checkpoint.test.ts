import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { readCheckpoint, restoreCheckpoint, writeCheckpoint } from '../../src/train/checkpoint.js';
import { initialState } from '../../src/train/state.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-ckpt-');

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [3] });
  const hidden = tf.layers.dense({ units: 4, name: 'hidden', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  const normed = tf.layers.batchNormalization({ name: 'bn' }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: normed });
}

const powers = (o: tf.Optimizer) => {
  const a = o as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  return [a.accBeta1.dataSync()[0], a.accBeta2.dataSync()[0]];
};

test("Adam's running powers of beta come back exactly (tfjs rebuilds them with pow(), which rounds otherwise)", async () => {
  await initBackend('wasm');
  const model = tinyModel();
  const adam = makeOptimizer({ optimizer: 'adam', lr: 0.01, epsilon: 1e-5, momentum: 0, nesterov: false });
  const x = tf.tensor2d([
    [1, 2, 3],
    [0, -1, 2],
  ]);
  // 24 steps: pow(0.999, k + 1) and 24 float32 products differ in the last bit (checked with tfjs).
  for (let i = 0; i < 24; i++) adam.minimize(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar);
  await writeCheckpoint(join(tmp, 'ckpt'), model, adam, { ...initialState(), microBatch: 2 });

  const again = tinyModel();
  const adam2 = makeOptimizer({ optimizer: 'adam', lr: 0.01, epsilon: 1e-5, momentum: 0, nesterov: false });
  const ckpt = readCheckpoint(join(tmp, 'ckpt'));
  await restoreCheckpoint(ckpt, join(tmp, 'ckpt'), again, adam2);
  assert.deepEqual(powers(adam2), powers(adam));
  assert.equal(ckpt.state.microBatch, 2);
  for (const [i, w] of model.weights.entries()) assert.deepEqual(again.weights[i]!.read().dataSync(), w.read().dataSync(), w.name);
  const [s1, s2] = [await adam.getWeights(), await adam2.getWeights()];
  assert.deepEqual(
    s2.map((s) => [...s.tensor.dataSync()]),
    s1.map((s) => [...s.tensor.dataSync()]),
  );
  x.dispose();
  model.dispose();
  again.dispose();
});
