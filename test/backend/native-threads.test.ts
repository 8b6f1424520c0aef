import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import { initBackend } from '../../src/backend/backend.js';
import { loadNativeAddon, nativeLoadError } from '../../src/backend/native/addon.js';
import { DEFAULT_MODEL_OPTIONS, MODEL_NAMES, modelPlan } from '../../src/model/registry.js';
import { buildModel } from '../../src/model/build.js';
import { seedLayerRng } from '../../src/model/layer-rng.js';
import { batchGradients } from '../../src/train/step.js';

// The thread governor switches between two threads and one in the middle of a run, so every
// kernel must give the same bits for any thread count. Before: the weighted-sum gradient, oneDNN's
// backward-weights convolutions and its sgemm split their sums by thread (50 of RandWire's 122
// gradients and 12 of AlexNet's 16 differed between 1 and 2 threads).
const addon = loadNativeAddon();
const required = process.env.RANDWIRE_REQUIRE_NATIVE === '1';
const skip = !addon && !required ? `oneDNN addon ${nativeLoadError()}` : false;

for (const model of MODEL_NAMES) {
  test(`${model}: the same gradients and predictions with 1, 2, 3 and every core's threads, to the bit`, { skip }, async () => {
    await initBackend('native');
    // Batch 96 of 28x28: tensors large enough for every kernel to split its work.
    const m = buildModel(modelPlan({ ...DEFAULT_MODEL_OPTIONS, model, channels: 16, nodes: 8 }, 1), 3);
    const x = tf.randomNormal([96, 28, 28, 1], 0, 1, 'float32', 1);
    const y = tf.randomUniform([96], 0, 10, 'int32', 2) as tf.Tensor1D;
    const gradients = (threads: number): Record<string, Float32Array> => {
      addon!.setThreads(threads);
      seedLayerRng(1, 1);
      const { grads } = batchGradients(m, x, y, { classes: 10, microBatch: 96, labelSmoothing: 0, weightDecay: 0 });
      const out = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.dataSync() as Float32Array]));
      tf.dispose(Object.values(grads));
      return out;
    };
    // Inference too (eval, predict and damage start on the free cores: any count).
    const predictions = (threads: number): Buffer => {
      addon!.setThreads(threads);
      return tf.tidy(() => Buffer.from(((m.predict(x) as tf.Tensor).dataSync() as Float32Array).buffer));
    };
    try {
      const probs = predictions(1);
      for (const threads of new Set([2, 3, cpus().length]))
        assert.ok(predictions(threads).equals(probs), `${threads} threads: predictions differ from 1 thread`);
      const one = gradients(1);
      // 3 threads is more than this 2-core machine has: the split, not the speed, is what counts.
      for (const threads of new Set([2, 3, cpus().length])) {
        const other = gradients(threads);
        const differ = Object.keys(one).filter((k) => !Buffer.from(one[k]!.buffer).equals(Buffer.from(other[k]!.buffer)));
        assert.deepEqual(differ, [], `${threads} threads: ${differ.length} of ${Object.keys(one).length} gradients differ from 1 thread`);
      }
    } finally {
      addon!.setThreads(2);
      m.dispose();
      tf.dispose([x, y]);
    }
  });
}
