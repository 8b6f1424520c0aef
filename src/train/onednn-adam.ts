import * as tf from '@tensorflow/tfjs';
import { nativeActive } from '../backend/native/register.js';
import { loadNativeAddon } from '../backend/native/addon.js';
import { heap, offset } from '../backend/native/heap.js';
import type { WasmBackendLike } from '../backend/kernel-call.js';

/** What the update reads of tfjs's AdamOptimizer (protected or private in its typings). */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/**
 * tfjs's Adam with the update of every variable as one call of the oneDNN addon when it is active
 * (tfjs uses about 14 small ops per variable: thousands per RandWire step). New buffers, not in
 * place: the wasm backend's dense layers (XNNPACK) keep weights packed per buffer. Same state, same
 * formulas, same saved weights (getWeights/setWeights are tfjs's), so checkpoints move freely
 * between the two paths; without the addon it is tfjs's Adam.
 */
export class OnednnAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!nativeActive()) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamInternals;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const c1 = 1 - (self.accBeta1.dataSync()[0] as number);
    const c2 = 1 - (self.accBeta2.dataSync()[0] as number);
    const attrs = { lr: self.learningRate, beta1: self.beta1, beta2: self.beta2, epsilon: self.epsilon, c1, c2 };
    tf.tidy(() => {
      const backend = tf.backend() as unknown as WasmBackendLike;
      const updates: Array<{ value: tf.Variable; m: tf.Variable; v: tf.Variable; g: tf.Tensor; outs: tf.Tensor[] }> = [];
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const g = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (g == null) return;
        if (g.size !== value.size) throw new Error(`OnednnAdam: the gradient of ${name} has ${g.size} elements, the variable ${value.size}`);
        // Tensors at once, so that the tidy frees them if the call below fails.
        const outs = [0, 1, 2].map(() => tf.engine().makeTensorFromTensorInfo(backend.makeOutput(value.shape, 'float32')));
        updates.push({ value, m: self.accumulatedFirstMoment[i]!.variable, v: self.accumulatedSecondMoment[i]!.variable, g, outs });
      });
      const offsets = Float64Array.from(updates.flatMap((u) => [u.value, u.m, u.v, u.g, ...u.outs].map((t) => offset(backend, t))));
      const sizes = Float64Array.from(updates.map((u) => u.value.size));
      loadNativeAddon()!.adamMany(heap(backend), offsets, sizes, Float64Array.of(attrs.lr, attrs.beta1, attrs.beta2, attrs.epsilon, attrs.c1, attrs.c2));
      for (const u of updates) {
        const [value2, m2, v2] = u.outs;
        u.m.assign(m2!);
        u.v.assign(v2!);
        u.value.assign(value2!);
      }
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    this.incrementIterations();
  }
}
