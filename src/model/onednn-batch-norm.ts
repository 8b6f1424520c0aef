import * as tf from '@tensorflow/tfjs';
import { ONEDNN_KERNELS } from '../backend/native/kernel-names.js';
import { fastPathActive } from './fast-path.js';

/** What the layer (and the fused training path) reads of tfjs's BatchNormalization (private in its typings). */
export interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type Kwargs = Record<string, unknown>;
const Base = tf.layers.batchNormalization({}).constructor as new (args: object) => tf.layers.Layer;

let gradientRegistered = false;

function registerGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: ONEDNN_KERNELS.batchNormTrain,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dy, saved, attrs) => {
      const [x, scale, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const g = Array.isArray(dy) ? dy[0]! : dy;
      const [dx, dscale, dshift] = tf.engine().runKernel(ONEDNN_KERNELS.batchNormTrainGrad, { x, scale, mean, variance, dy: g }, attrs) as tf.Tensor[];
      return { x: () => dx!, scale: () => dscale!, offset: () => dshift! };
    },
  });
  // Inference mode is rarely differentiated (saliency maps, frozen batch norm); composed ops do.
  tf.registerGradient({
    kernelName: ONEDNN_KERNELS.batchNormInfer,
    inputsToSave: ['x', 'scale', 'mean', 'variance'],
    gradFunc: (dy, saved, attrs) => {
      const [x, scale, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const g = Array.isArray(dy) ? dy[0]! : dy;
      const leading = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const inv = () => tf.rsqrt(tf.add(variance, (attrs as { epsilon: number }).epsilon));
      const centred = () => tf.sub(x, mean);
      return {
        x: () => tf.mul(g, tf.mul(scale, inv())),
        scale: () => tf.sum(tf.mul(g, tf.mul(centred(), inv())), leading),
        offset: () => tf.sum(g, leading),
        mean: () => tf.neg(tf.mul(tf.sum(g, leading), tf.mul(scale, inv()))),
        variance: () => tf.mul(tf.sum(tf.mul(g, centred()), leading), tf.mul(scale, tf.mul(-0.5, tf.pow(inv(), 3)))),
      };
    },
  });
}

/**
 * tfjs's BatchNormalization, with training-mode normalisation as one kernel of the native addon
 * forward and one backward when the native kernels are active (tfjs composes it from about 30
 * small ops each way), and inference as one more (wasm's FusedBatchNorm took half of a RandWire
 * forward pass). Same class name, config and weights, so saved models are plain Keras/TF.js
 * files; every other backend uses tfjs's own code. Variance is the biased one, as tfjs's.
 */
export class OnednnBatchNormalization extends Base {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormInternals;
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    if (!fastPathActive() || !lastAxis || !self.center || !self.scale) return super.call(inputs, kwargs);
    registerGradient();
    if (kwargs.training !== true) {
      const stats = { mean: self.movingMean.read(), variance: self.movingVariance.read() };
      return tf
        .engine()
        .runKernel(ONEDNN_KERNELS.batchNormInfer, { x, scale: self.gamma.read(), offset: self.beta.read(), ...stats }, { epsilon: self.epsilon }) as tf.Tensor;
    }
    return tf.tidy(() => {
      const [y, mean, variance] = tf
        .engine()
        .runKernel(ONEDNN_KERNELS.batchNormTrain, { x, scale: self.gamma.read(), offset: self.beta.read() }, { epsilon: self.epsilon }) as tf.Tensor[];
      // The moving averages with tfjs's formula, in one kernel (tfjs: three ops each).
      const [movingMean, movingVariance] = tf
        .engine()
        .runKernel(
          ONEDNN_KERNELS.movingAverages,
          { mean: self.movingMean.read(), variance: self.movingVariance.read(), batchMean: mean!, batchVariance: variance! },
          { momentum: self.momentum },
        ) as tf.Tensor[];
      self.movingMean.write(movingMean!);
      self.movingVariance.write(movingVariance!);
      return y!;
    });
  }
}
