import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ONEDNN_KERNELS } from '../../src/backend/native/kernel-names.js';
import { useNativeKernels } from '../../src/backend/native/register.js';
import { OnednnBatchNormalization } from '../../src/model/onednn-batch-norm.js';
import { onBackend, randomValues, relativeError } from '../helpers/tf.js';
import { nativeAndCpu, nativeSkip as skip } from '../helpers/native.js';

before(nativeAndCpu);

/** A BatchNormalization layer's output, gradients and moving statistics after one call (training or inference mode). */
function batchNormStep(backend: string, x: Float32Array, shape: number[], training = true): Float32Array[] {
  return onBackend(backend, () => {
    const layer = new OnednnBatchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' });
    layer.build(shape);
    // The same random gamma, beta and moving statistics (variance > 0) on both backends.
    layer.setWeights(
      layer.getWeights().map((w, i) =>
        tf.tensor(
          randomValues(w.size, 20 + i).map((v) => (i === 3 ? 0.5 + v * v : v)),
          w.shape,
        ),
      ),
    );
    const result = tf.tidy(() => {
      const xt = tf.tensor(x, shape);
      const r = tf.randomNormal(shape, 0, 1, 'float32', 21);
      const f = (a: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(a, { training }) as tf.Tensor, r));
      const { grads } = tf.variableGrads(
        () => f(xt),
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      const gx = tf.grad(f)(xt);
      const y = layer.apply(xt, { training }) as tf.Tensor;
      return [y, gx, ...Object.values(grads)].map((t) => t.dataSync() as Float32Array);
    });
    const moving = layer
      .getWeights()
      .slice(2)
      .map((w) => w.dataSync() as Float32Array);
    return [...result, ...moving];
  });
}

test('fast batch norm (one native kernel each way) matches tfjs batch norm on cpu: output, gradients, moving statistics', { skip }, () => {
  // Channel counts below, at and above the kernel's 16 lanes; the last case is far from zero
  // mean (the one-pass variance must not cancel).
  const cases: Array<[number[], number]> = [
    [[4, 5, 5, 8], 1],
    [[3, 7, 7, 16], 1],
    [[16, 12], 1],
    [[5, 6, 6, 20], 1],
    [[4, 6, 6, 32], 200],
  ];
  for (const [shape, centre] of cases) {
    const x = randomValues(
      shape.reduce((a, b) => a * b),
      22,
    ).map((v) => 3 * v + centre);
    const native = batchNormStep('wasm', x, shape);
    const cpu = batchNormStep('cpu', x, shape);
    assert.equal(native.length, cpu.length);
    native.forEach((a, i) => assert.ok(relativeError(a, cpu[i]!) < 1e-4, `shape ${shape}: output ${i} relative error ${relativeError(a, cpu[i]!)}`));
  }
});

test('fast batch norm in inference mode (one native kernel) matches tfjs on cpu: output, input and weight gradients', { skip }, () => {
  for (const shape of [
    [4, 5, 5, 8],
    [16, 12],
  ]) {
    const x = randomValues(
      shape.reduce((a, b) => a * b),
      23,
    ).map((v) => 3 * v + 1);
    const native = batchNormStep('wasm', x, shape, false);
    const cpu = batchNormStep('cpu', x, shape, false);
    native.forEach((a, i) => assert.ok(relativeError(a, cpu[i]!) < 1e-5, `shape ${shape}: output ${i} relative error ${relativeError(a, cpu[i]!)}`));
  }
});

test('the inference batch-norm kernel has gradients for x, scale, offset, mean and variance as tf.batchNorm on cpu', { skip }, () => {
  const shape = [3, 4, 4, 6];
  const x = randomValues(3 * 4 * 4 * 6, 24);
  const [scale, offset, mean] = [25, 26, 27].map((seed) => randomValues(6, seed));
  const variance = randomValues(6, 28).map((v) => 0.5 + v * v);
  const grads = (backend: string): Float32Array[] =>
    onBackend(backend, () =>
      tf.tidy(() => {
        const r = tf.randomNormal(shape, 0, 1, 'float32', 29);
        const bn = (xt: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor): tf.Tensor =>
          backend === 'wasm'
            ? (tf.engine().runKernel(ONEDNN_KERNELS.batchNormInfer, { x: xt, scale: s, offset: o, mean: m, variance: v }, { epsilon: 1e-3 }) as tf.Tensor)
            : tf.batchNorm(xt, m, v, o, s, 1e-3);
        const f = (...a: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(bn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!), r));
        const inputs = [tf.tensor(x, shape), tf.tensor(mean!), tf.tensor(variance), tf.tensor(offset!), tf.tensor(scale!)];
        return tf
          .grads(f)(inputs)
          .map((g) => g.dataSync() as Float32Array);
      }),
    );
  const [native, cpu] = [grads('wasm'), grads('cpu')];
  ['x', 'mean', 'variance', 'offset', 'scale'].forEach((what, i) =>
    assert.ok(relativeError(native[i]!, cpu[i]!) < 1e-4, `${what}: relative error ${relativeError(native[i]!, cpu[i]!)}`),
  );
});

test('fast batch norm runs the oneDNN kernels (training and inference) when active and tfjs ops otherwise', { skip }, () => {
  const kernelsOf = async (on: boolean): Promise<string[]> => {
    useNativeKernels(on);
    const layer = new OnednnBatchNormalization({});
    layer.build([2, 3, 3, 4]);
    const x = tf.randomNormal([2, 3, 3, 4]);
    const info = await tf.profile(() =>
      tf.tidy(() => [tf.grad((a: tf.Tensor) => tf.sum(layer.apply(a, { training: true }) as tf.Tensor))(x), layer.apply(x) as tf.Tensor]),
    );
    x.dispose();
    return info.kernels.map((k) => k.name);
  };
  return (async () => {
    try {
      const native = await kernelsOf(true);
      const plain = await kernelsOf(false);
      assert.ok(
        native.includes(ONEDNN_KERNELS.batchNormTrain) && native.includes(ONEDNN_KERNELS.batchNormTrainGrad) && native.includes(ONEDNN_KERNELS.batchNormInfer),
        native.join(','),
      );
      assert.ok(
        !plain.includes(ONEDNN_KERNELS.batchNormTrain) && !plain.includes(ONEDNN_KERNELS.batchNormInfer) && plain.includes('FusedBatchNorm'),
        plain.join(','),
      );
    } finally {
      useNativeKernels(true);
    }
  })();
});
