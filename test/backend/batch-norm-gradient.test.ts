import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { relativeError } from '../helpers/tf.js';

before(() => initBackend('wasm'));

/**
 * The replacement FusedBatchNorm gradient against autodiff through elementary ops (which never
 * touch FusedBatchNorm), for training-mode BN: statistics from the batch, so gradients flow
 * through mean and variance too, as in tfjs-layers.
 */
for (const [shape, meanRank] of [
  [[4, 5, 5, 3], 1],
  [[2, 3, 3, 6], 1],
  [[6, 4], 1],
  [[2, 4, 4, 3], 4],
] as const) {
  test(`batch-norm gradient matches elementary-op autodiff: x ${shape.join('x')}, statistics of rank ${meanRank}`, () => {
    const x = tf.randomNormal([...shape], 0.5, 2, 'float32', 1);
    const c = shape[shape.length - 1]!;
    const gamma = tf.randomNormal([c], 1, 0.3, 'float32', 2);
    const beta = tf.randomNormal([c], 0, 0.3, 'float32', 3);
    const r = tf.randomNormal([...shape], 0, 1, 'float32', 4);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const keep = meanRank !== 1;
    const fused = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const m = tf.moments(a, axes, keep);
      const statShape = keep ? m.mean.shape : [c];
      return tf.sum(tf.mul(tf.batchNorm(a, m.mean, m.variance, tf.reshape(b, statShape), tf.reshape(g, statShape), 1e-3), r));
    };
    const plain = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const m = tf.moments(a, axes, true);
      const y = tf.add(tf.mul(tf.mul(tf.sub(a, m.mean), tf.rsqrt(tf.add(m.variance, 1e-3))), g), b);
      return tf.sum(tf.mul(y, r));
    };
    const gf = tf.grads(fused)([x, gamma, beta]);
    const gp = tf.grads(plain)([x, gamma, beta]);
    gf.forEach((t, i) => assert.ok(relativeError(t.dataSync(), gp[i]!.dataSync()) < 1e-4, `input ${i}: ${relativeError(t.dataSync(), gp[i]!.dataSync())}`));
    tf.dispose([x, gamma, beta, r, ...gf, ...gp]);
  });
}
