import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { nativeLoadError } from '../../src/backend/native/addon.js';
import { useNativeKernels } from '../../src/backend/native/register.js';
import { assertConvGradientsLeakNothing, onBackend, randomValues, relativeError } from '../helpers/tf.js';
import { nativeAndCpu, nativeAvailable, nativeRequired, nativeSkip } from '../helpers/native.js';

const available = nativeAvailable;
const required = nativeRequired;
const skip = nativeSkip;

before(nativeAndCpu);

test('the oneDNN addon is built when CI requires it', { skip: !required && 'RANDWIRE_REQUIRE_NATIVE is not set' }, () => {
  assert.ok(available, `oneDNN addon: ${nativeLoadError()}`);
});

type Pad = 'same' | 'valid';
type Op = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor;

/** Forward output and the gradients w.r.t. x and w of a random-weighted sum of op(x, w). */
function run(backend: string, op: Op, x: Float32Array, xs: number[], w: Float32Array, ws: number[]): Float32Array[] {
  return onBackend(backend, () =>
    tf.tidy(() => {
      const xt = tf.tensor4d(x, xs as [number, number, number, number]);
      const wt = tf.tensor4d(w, ws as [number, number, number, number]);
      const y = op(xt, wt);
      const r = tf.randomNormal(y.shape, 0, 1, 'float32', 3);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), r)))([xt, wt]);
      return [y.dataSync() as Float32Array, gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
    }),
  );
}

function compare(label: string, op: Op, xs: number[], ws: number[]): void {
  const x = randomValues(
    xs.reduce((a, b) => a * b),
    1,
  );
  const w = randomValues(
    ws.reduce((a, b) => a * b),
    2,
  );
  const native = run('wasm', op, x, xs, w, ws);
  const cpu = run('cpu', op, x, xs, w, ws);
  ['output', 'input gradient', 'filter gradient'].forEach((what, i) => {
    const err = relativeError(native[i]!, cpu[i]!);
    assert.ok(err < 1e-4, `${label}: ${what} relative error ${err}`);
  });
}

const grid: Array<{ b: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: Pad }> = [];
for (const s of [1, 2])
  for (const pad of ['same', 'valid'] as const)
    for (const k of [1, 3]) {
      grid.push({ b: 2, h: 8, w: 8, ci: 3, co: 4, k, s, pad });
      grid.push({ b: 1, h: 7, w: 9, ci: 5, co: 2, k, s, pad });
      grid.push({ b: 3, h: 14, w: 14, ci: 16, co: 32, k, s, pad });
    }
// 3x3 depthwise over 16-channel multiples runs on the addon's register kernel: interiors,
// borders, images with no interior, odd sizes, odd numbers of 16-channel groups.
for (const s of [1, 2])
  for (const pad of ['same', 'valid'] as const) {
    grid.push({ b: 2, h: 9, w: 11, ci: 32, co: 32, k: 3, s, pad });
    grid.push({ b: 3, h: 2, w: 3, ci: 48, co: 48, k: 3, s, pad });
    // Even sizes: stride 2 'same' pads only the bottom and right (RandWire's input nodes).
    grid.push({ b: 2, h: 8, w: 10, ci: 16, co: 16, k: 3, s, pad });
  }
grid.push({ b: 2, h: 28, w: 28, ci: 1, co: 8, k: 3, s: 1, pad: 'same' });
grid.push({ b: 4, h: 5, w: 5, ci: 16, co: 16, k: 5, s: 2, pad: 'same' });

for (const g of grid) {
  const label = `b${g.b} ${g.h}x${g.w} ${g.ci}->${g.co} k${g.k} s${g.s} ${g.pad}`;
  const xs = [g.b, g.h, g.w, g.ci];
  test(`oneDNN conv2d forward and gradients match cpu: ${label}`, { skip }, () => {
    compare(label, (a, b) => tf.conv2d(a, b, g.s, g.pad), xs, [g.k, g.k, g.ci, g.co]);
  });
  test(`oneDNN depthwise forward and gradients match cpu: ${label}`, { skip }, () => {
    compare(label, (a, b) => tf.depthwiseConv2d(a, b, g.s, g.pad), xs, [g.k, g.k, g.ci, 1]);
  });
}

test('oneDNN depthwise with channel multiplier 2 matches cpu', { skip }, () => {
  compare('multiplier 2', (a, b) => tf.depthwiseConv2d(a, b, 2, 'same'), [2, 6, 6, 3], [3, 3, 3, 2]);
});

test('oneDNN dilated convolutions match cpu (forward; tfjs has no dilated gradients)', { skip }, () => {
  const x = randomValues(2 * 9 * 9 * 4, 10);
  for (const [op, ws] of [
    [(a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, 1, 'same', 'NHWC', 2), [3, 3, 4, 5]],
    [(a: tf.Tensor4D, b: tf.Tensor4D) => tf.depthwiseConv2d(a, b, 1, 'valid', 'NHWC', 2), [3, 3, 4, 1]],
  ] as Array<[Op, number[]]>) {
    const w = randomValues(
      ws.reduce((a, b) => a * b, 1),
      11,
    );
    const y = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(() => op(tf.tensor4d(x, [2, 9, 9, 4]), tf.tensor4d(w, ws as [number, number, number, number])).dataSync() as Float32Array),
      );
    assert.ok(relativeError(y('wasm'), y('cpu')) < 1e-4);
  }
});

test('native fused conv2d and depthwise with bias and ReLU match cpu', { skip }, () => {
  const bias = randomValues(6, 9);
  for (const activation of ['relu', 'linear', 'elu'] as const) {
    compare(
      `fused conv ${activation}`,
      (a, b) => tf.fused.conv2d({ x: a, filter: b, strides: 1, pad: 'same', bias: tf.tensor1d(bias), activation }),
      [2, 7, 7, 3],
      [3, 3, 3, 6],
    );
    compare(
      `fused depthwise ${activation}`,
      (a, b) => tf.fused.depthwiseConv2d({ x: a, filter: b, strides: 2, pad: 'same', bias: tf.tensor1d(bias), activation }),
      [2, 7, 7, 6],
      [3, 3, 6, 1],
    );
    const bias32 = randomValues(32, 8);
    compare(
      `fused depthwise 32 channels ${activation}`,
      (a, b) => tf.fused.depthwiseConv2d({ x: a, filter: b, strides: 1, pad: 'same', bias: tf.tensor1d(bias32), activation }),
      [2, 6, 5, 32],
      [3, 3, 32, 1],
    );
  }
});

test('the oneDNN kernels leak no tensors or wasm buffers', { skip }, assertConvGradientsLeakNothing);

test('--backend wasm puts the wasm convolutions back', { skip }, async () => {
  const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
  const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
  const withNative = tf.conv2d(x, w, 1, 'same').dataSync();
  useNativeKernels(false);
  try {
    assert.deepEqual([...tf.conv2d(x, w, 1, 'same').dataSync()], [...withNative]);
  } finally {
    useNativeKernels(true);
  }
});

for (const [size, stride, pad] of [
  [2, 2, 'valid'],
  [3, 2, 'same'],
  [3, 1, 'same'],
  [2, 1, 'valid'],
] as const) {
  test(`native MaxPoolGrad matches cpu, negative windows included: size ${size} stride ${stride} ${pad}`, { skip }, () => {
    const shape: [number, number, number, number] = [2, 9, 9, 5];
    const x = randomValues(2 * 81 * 5, 12).map((v) => v - 1.5);
    const g = (backend: string): Float32Array =>
      onBackend(backend, () =>
        tf.tidy(() => {
          const f = (a: tf.Tensor): tf.Scalar =>
            tf.sum(
              tf.mul(
                tf.maxPool(a as tf.Tensor4D, size, stride, pad),
                tf.randomNormal([2, ...tf.maxPool(tf.zeros(shape) as tf.Tensor4D, size, stride, pad).shape.slice(1)], 0, 1, 'float32', 13),
              ),
            );
          return tf.grad(f)(tf.tensor4d(x, shape)).dataSync() as Float32Array;
        }),
      );
    assert.ok(relativeError(g('wasm'), g('cpu')) < 1e-6);
  });
}
