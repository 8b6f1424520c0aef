import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../data/dataset.js';
import { makeBatch } from '../data/batch.js';
import { correctCount, crossEntropy } from './loss.js';
import { assertFinite } from '../core/finite.js';

export { assertFinite } from '../core/finite.js';

export interface Evaluation {
  loss: number;
  accuracy: number;
  count: number;
}

/** Loss and accuracy of a model on a whole image set, in inference mode, batch by batch. */
export function evaluate(model: tf.LayersModel, set: ImageSet, norm: { mean: number; std: number }, classes: number, batchSize = 500): Evaluation {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const b = makeBatch(
      set,
      Array.from({ length: n }, (_, i) => start + i),
      norm,
    );
    const [l, c, s] = tf.tidy(() => {
      const x = tf.tensor4d(b.x, [n, set.height, set.width, set.channels]);
      const y = tf.tensor1d(b.labels, 'int32');
      const probs = model.predict(x) as tf.Tensor;
      return [crossEntropy(probs, y, classes), correctCount(probs, y), tf.sum(probs)];
    });
    // NaN anywhere in the outputs makes their sum NaN (a NaN loss alone can hide in argmax).
    assertFinite(s.dataSync(), `model '${model.name}'`);
    lossSum += l.dataSync()[0]! * n;
    correct += c.dataSync()[0]!;
    tf.dispose([l, c, s]);
  }
  return { loss: set.count ? lossSum / set.count : Number.NaN, accuracy: set.count ? correct / set.count : Number.NaN, count: set.count };
}
