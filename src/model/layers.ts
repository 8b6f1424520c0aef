import * as tf from '@tensorflow/tfjs';
import { ONEDNN_KERNELS } from '../backend/native/kernel-names.js';
import { fastPathActive } from './fast-path.js';
import { nextLayerSeed } from './layer-rng.js';
import { RandwireError } from '../core/errors.js';

type Kwargs = { training?: boolean } & Record<string, unknown>;

/**
 * The same sum as one kernel of the native addon forward and one backward (tfjs composes it from about
 * 4 ops per input edge each way, each with its own dispatch cost); with `relu`, the ReLU is
 * applied in the same pass and its gradient taken from the saved output.
 */
function nativeWeightedSum(relu: boolean): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    // tfjs passes the inputs, then the save function.
    const save = args.pop() as tf.GradSaveFunc;
    const [w, ...xs] = args as tf.Tensor[];
    const inputs: tf.NamedTensorMap = { w: w! };
    xs.forEach((x, i) => (inputs[`x${i}`] = x));
    const value = tf.engine().runKernel(ONEDNN_KERNELS.weightedSum, inputs, { relu }) as tf.Tensor;
    save(relu ? [w!, value, ...xs] : [w!, ...xs]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sw, ...rest] = saved;
        const gradInputs: tf.NamedTensorMap = { w: sw!, dy };
        if (relu) gradInputs.y = rest.shift()!;
        rest.forEach((x, i) => (gradInputs[`x${i}`] = x));
        return tf.engine().runKernel(ONEDNN_KERNELS.weightedSumGrad, gradInputs) as tf.Tensor[];
      },
    };
  });
}
const nativeSum = { linear: nativeWeightedSum(false), relu: nativeWeightedSum(true) };

type Activation = 'linear' | 'relu';

/**
 * RandWire aggregation: sum_i sigmoid(w_i) * x_i with one learnable scalar per in-edge,
 * initialised to 0 (weight 0.5 each), as in Xie et al.; `activation: 'relu'` applies the node's
 * ReLU to the sum in the same layer (models saved before it have a separate ReLU layer and load
 * as linear sums).
 */
export class WeightedSum extends tf.layers.Layer {
  static readonly className = 'RandwireWeightedSum';
  readonly activation: Activation;
  private edgeWeights: tf.LayerVariable | undefined;

  constructor(config: { name?: string; activation?: Activation } & Record<string, unknown> = {}) {
    super(config);
    const activation = config.activation ?? 'linear';
    if (activation !== 'linear' && activation !== 'relu')
      throw new RandwireError('model', `RandwireWeightedSum: activation must be 'linear' or 'relu', got '${String(activation)}'`);
    this.activation = activation;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const n = Array.isArray(inputShape[0]) ? inputShape.length : 1;
    this.edgeWeights = this.addWeight('edge_weights', [n], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const w = this.edgeWeights!.read();
      if (fastPathActive()) return nativeSum[this.activation](w, ...xs);
      // Slices, not tf.unstack: unstack's gradient fails for a single input.
      const gates = tf.sigmoid(w);
      const sum = tf.addN(xs.map((x, i) => tf.mul(x, tf.slice(gates, [i], [1]))));
      return this.activation === 'relu' ? tf.relu(sum) : sum;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: this.activation };
  }
}

/** Dropout whose masks come from the seeded layer stream (reproducible, fresh every step). */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'RandwireDropout';
  readonly rate: number;

  constructor(config: { rate: number; name?: string }) {
    super(config);
    this.rate = config.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    return tf.dropout(x, this.rate, undefined, nextLayerSeed());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
