import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../core/rng.js';
import { INPUT, type ModelPlan, type Op } from './plan.js';
import { SeededDropout, WeightedSum } from './layers.js';
import { OnednnBatchNormalization } from './onednn-batch-norm.js';
import { registerNodeLayers } from './register-node.js';

registerNodeLayers();

/** Batch-norm settings: tfjs's default momentum 0.99 leaves short runs evaluating near chance. */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

function layerFor(name: string, op: Op, seed: number): tf.layers.Layer {
  const init = (what: string): number => deriveSeed(seed, `init/${name}/${what}`);
  switch (op.kind) {
    case 'conv':
      return tf.layers.conv2d({
        name,
        filters: op.filters,
        kernelSize: op.kernel,
        strides: op.stride,
        padding: op.padding,
        useBias: op.bias,
        kernelInitializer: tf.initializers.heNormal({ seed: init('kernel') }),
      });
    case 'sepconv':
      return tf.layers.separableConv2d({
        name,
        filters: op.filters,
        kernelSize: op.kernel,
        strides: op.stride,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: tf.initializers.heNormal({ seed: init('depthwise') }),
        pointwiseInitializer: tf.initializers.heNormal({ seed: init('pointwise') }),
      });
    case 'bn':
      return new OnednnBatchNormalization({ name, axis: -1, momentum: BN_MOMENTUM, epsilon: BN_EPSILON });
    case 'relu':
      return tf.layers.activation({ name, activation: 'relu' });
    case 'maxpool':
      return tf.layers.maxPooling2d({ name, poolSize: op.size, strides: op.stride, padding: op.padding });
    case 'gap':
      return tf.layers.globalAveragePooling2d({ name });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'dense':
      return tf.layers.dense({
        name,
        units: op.units,
        activation: op.activation,
        // He for hidden ReLU layers; the classifier gets PyTorch's default Linear init, small
        // enough that deep nets without batch norm (AlexNet) do not start saturated.
        kernelInitializer:
          op.activation === 'relu'
            ? tf.initializers.heNormal({ seed: init('kernel') })
            : tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: init('kernel') }),
      });
    case 'dropout':
      return new SeededDropout({ name, rate: op.rate });
    case 'weightedSum':
      return new WeightedSum({ name, activation: op.activation });
    case 'mean':
      return tf.layers.average({ name });
  }
}

/** Build a tfjs LayersModel from a plan; weights are initialised from `seed` (same seed, same weights). */
export function buildModel(plan: ModelPlan, seed: number): tf.LayersModel {
  const input = tf.input({ shape: plan.inputShape, name: INPUT });
  const outputs = new Map<string, tf.SymbolicTensor>([[INPUT, input]]);
  for (const layer of plan.layers) {
    const ins = layer.inputs.map((n) => outputs.get(n)!);
    const out = layerFor(layer.name, layer.op, seed).apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor;
    outputs.set(layer.name, out);
  }
  const model = tf.model({ inputs: input, outputs: outputs.get(plan.output)!, name: plan.model });
  model.setUserDefinedMetadata({ randwirePlan: { model: plan.model, inputShape: plan.inputShape, classes: plan.classes, metadata: plan.metadata } });
  return model;
}
