import * as tf from '@tensorflow/tfjs';

/**
 * Gradient of FusedBatchNorm without tfjs's `tile` of the per-channel scale to the full input
 * shape (wasm's Tile is slow: it took about a third of a RandWire training step). Same
 * formulas; the per-channel factors broadcast instead.
 */
export const batchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const g = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const invScale = scale ? tf.mul(inv, scale) : inv;
    // Per-channel sums, computed once: each closure below runs in its own tidy.
    const sumDy = tf.tidy(() => tf.sum(g, axes));
    const sumDyXc = tf.tidy(() => tf.sum(tf.mul(g, tf.sub(x, mean)), axes));
    const perChannel = (t: tf.Tensor): tf.Tensor => tf.reshape(t, mean.shape);
    return {
      x: () => tf.mul(g, invScale),
      mean: () => perChannel(tf.neg(tf.mul(sumDy, invScale))),
      variance: () => perChannel(tf.mul(sumDyXc, tf.mul(tf.mul(invScale, tf.square(inv)), -0.5))),
      scale: () => perChannel(tf.mul(sumDyXc, inv)),
      offset: () => perChannel(tf.add(sumDy, 0)),
    };
  },
};

let registered = false;

export function registerFastGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(batchNormGradConfig);
}
