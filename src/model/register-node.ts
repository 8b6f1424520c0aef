import * as tf from '@tensorflow/tfjs';
import { OnednnBatchNormalization } from './onednn-batch-norm.js';
import { registerLayers } from './register.js';

/**
 * Register, besides the custom layers, the batch norm with the addon's kernels under tfjs's own
 * class name, so that a model loaded from disk (a checkpoint to resume, a model to evaluate)
 * computes with the same kernels as the model that was built and trained. Without it a loaded
 * model used tfjs's composed batch norm: other float rounding, so a resumed run drifted away
 * from the uninterrupted one. Files keep the class name `BatchNormalization`.
 */
export function registerNodeLayers(): void {
  registerLayers();
  // Its static className and fromConfig are tfjs's BatchNormalization's, inherited untyped.
  tf.serialization.registerClass(OnednnBatchNormalization as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
}
