import * as tf from '@tensorflow/tfjs';
import { nextLayerSeed } from './layer-rng.js';

type Kwargs = { training?: boolean } & Record<string, unknown>;

/**
 * RandWire aggregation: sum_i sigmoid(w_i) * x_i with one learnable scalar per in-edge,
 * initialised to 0 (weight 0.5 each), as in Xie et al.
 */
export class WeightedSum extends tf.layers.Layer {
  static readonly className = 'RandwireWeightedSum';
  private edgeWeights: tf.LayerVariable | undefined;

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
      const gates = tf.unstack(tf.sigmoid(this.edgeWeights!.read()));
      return tf.addN(xs.map((x, i) => tf.mul(x, gates[i]!)));
    });
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
