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
