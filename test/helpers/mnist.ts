import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../src/data/idx-files.js';
import { makeBatch } from '../../src/data/batch.js';

/** The first n real MNIST training images as normalised tensors. */
export function mnistBatch(n: number, offset = 0): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const d = loadDataset();
  const b = makeBatch(
    d.train,
    Array.from({ length: n }, (_, i) => offset + i),
    { mean: d.mean, std: d.std },
  );
  return { x: tf.tensor4d(b.x, [n, 28, 28, 1]), y: tf.tensor1d(b.labels, 'int32') };
}
