import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';

/** Prepare wasm (with the project's kernels) and cpu in one process. */
export async function bothBackends(): Promise<void> {
  await initBackend('wasm');
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
}

/** Run fn on a backend and return plain arrays (so nothing crosses backends as tensors). */
export function onBackend<T>(name: string, fn: () => T): T {
  const previous = tf.getBackend();
  tf.setBackend(name);
  try {
    return fn();
  } finally {
    tf.setBackend(previous);
  }
}

/** n seeded standard-normal values as a plain array. */
export function randomValues(n: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal([n], 0, 1, 'float32', seed).dataSync() as Float32Array);
}

/** max |a-b| / max(|b|, tiny): error relative to the reference's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** ||a-b|| / ||b||: the error of a whole gradient tensor, robust to a few flipped ReLUs. */
export function normError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 1e-30;
  for (let i = 0; i < b.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    n += b[i]! ** 2;
  }
  return Math.sqrt(d / n);
}

/** Conv and depthwise gradients, three times, must leave no tensor and no backend buffer behind. */
export function assertConvGradientsLeakNothing(): void {
  const before = tf.memory();
  for (let i = 0; i < 3; i++) {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 8, 8, 4]);
      const w = tf.randomNormal([3, 3, 4, 4]);
      const d = tf.randomNormal([3, 3, 4, 1]);
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.add(tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')), tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, c as tf.Tensor4D, 2, 'same'))),
      )([x, w, d]);
    });
  }
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numDataBuffers, before.numDataBuffers);
}
