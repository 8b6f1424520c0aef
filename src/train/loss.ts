import * as tf from '@tensorflow/tfjs';

const EPS = 1e-7;

/**
 * Mean cross-entropy of predicted probabilities (the models end in softmax, as Keras models do)
 * against integer labels, with optional label smoothing: targets (1-s) on the class, s/K spread.
 */
export function crossEntropy(probs: tf.Tensor, labels: tf.Tensor1D, classes: number, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    let target = tf.oneHot(labels, classes).toFloat();
    if (labelSmoothing > 0) target = tf.add(tf.mul(target, 1 - labelSmoothing), labelSmoothing / classes);
    const logp = tf.log(tf.clipByValue(probs, EPS, 1));
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), -1)));
  });
}

/** Number of correct top-1 predictions. */
export function correctCount(probs: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.equal(tf.argMax(probs, -1), labels).toInt()));
}
