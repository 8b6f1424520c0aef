import * as tf from '@tensorflow/tfjs';
import { ONEDNN_KERNELS } from './native/kernel-names.js';
import { nativeActive } from './native/register.js';
import { isSpatialMean } from './native/replaced-kernels.js';

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

/**
 * ReLU's gradient as one kernel when the oneDNN addon is active (tfjs: Cast, Step and Multiply
 * over the whole activation); tfjs's own formula otherwise.
 */
export const reluGradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    const g = dy as tf.Tensor;
    if (nativeActive() && x.dtype === 'float32') return { x: () => tf.engine().runKernel(ONEDNN_KERNELS.reluGrad, { dy: g, y: x }) as tf.Tensor };
    return { x: () => tf.mul(g, tf.step(tf.cast(x, 'float32'))) };
  },
};

// tfjs's own Mean gradient, taken before ours replaces it in the registry.
const tfjsMeanGrad = tf.getGradient('Mean')!;

/**
 * Mean's gradient: for the global average pool one kernel of the addon when it is active (tfjs
 * fills a tensor of ones of the input's shape in a JS loop and copies it into the wasm heap: 38
 * ms for [512, 4, 4, 1280]); tfjs's own otherwise.
 */
export const meanGradConfig: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: tfjsMeanGrad.inputsToSave,
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const axis = (attrs as { axis: number | number[] }).axis;
    if (nativeActive() && isSpatialMean(x, axis))
      return { x: () => tf.engine().runKernel(ONEDNN_KERNELS.spatialMeanGrad, { dy: dy as tf.Tensor, x }) as tf.Tensor };
    return tfjsMeanGrad.gradFunc(dy, saved, attrs);
  },
};

let registered = false;

export function registerGradientOverrides(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(batchNormGradConfig);
  tf.registerGradient(reluGradConfig);
  tf.registerGradient(meanGradConfig);
}
