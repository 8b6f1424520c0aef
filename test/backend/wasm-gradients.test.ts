import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertConvGradientsLeakNothing, bothBackends, onBackend, randomValues, relativeError } from '../helpers/tf.js';

before(bothBackends);

type Pad = 'same' | 'valid';

/** Gradients of a random-weighted sum of op(x, w) w.r.t. x and w, on one backend, as arrays. */
function grads(
  backend: string,
  op: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor,
  x: Float32Array,
  xs: number[],
  w: Float32Array,
  ws: number[],
  seed: number,
): [Float32Array, Float32Array] {
  return onBackend(backend, () =>
    tf.tidy(() => {
      const xt = tf.tensor4d(x, xs as [number, number, number, number]);
      const wt = tf.tensor4d(w, ws as [number, number, number, number]);
      const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
        const y = op(a as tf.Tensor4D, b as tf.Tensor4D);
        const r = tf.randomNormal(y.shape, 0, 1, 'float32', seed);
        return tf.sum(tf.mul(y, r));
      };
      const [gx, gw] = tf.grads(f)([xt, wt]);
      return [gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
    }),
  );
}

const grid: Array<{ b: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: Pad }> = [];
for (const s of [1, 2])
  for (const pad of ['same', 'valid'] as const)
    for (const k of [1, 3]) {
      grid.push({ b: 2, h: 8, w: 8, ci: 3, co: 4, k, s, pad });
      grid.push({ b: 1, h: 7, w: 9, ci: 5, co: 2, k, s, pad });
      grid.push({ b: 3, h: 14, w: 14, ci: 8, co: 16, k, s, pad });
    }
grid.push({ b: 2, h: 28, w: 28, ci: 1, co: 8, k: 3, s: 1, pad: 'same' });
grid.push({ b: 4, h: 5, w: 5, ci: 16, co: 16, k: 5, s: 2, pad: 'same' });

for (const g of grid) {
  const label = `b${g.b} ${g.h}x${g.w} ${g.ci}->${g.co} k${g.k} s${g.s} ${g.pad}`;
  test(`conv2d gradients (Conv2DBackpropFilter, Conv2DBackpropInput) match cpu: ${label}`, () => {
    const xs = [g.b, g.h, g.w, g.ci];
    const ws = [g.k, g.k, g.ci, g.co];
    const x = randomValues(
      xs.reduce((a, b) => a * b),
      1,
    );
    const w = randomValues(
      ws.reduce((a, b) => a * b),
      2,
    );
    const op = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, g.s, g.pad);
    const [wx, ww] = grads('wasm', op, x, xs, w, ws, 3);
    const [cx, cw] = grads('cpu', op, x, xs, w, ws, 3);
    assert.ok(relativeError(wx, cx) < 1e-4, `input grad rel err ${relativeError(wx, cx)}`);
    assert.ok(relativeError(ww, cw) < 1e-4, `filter grad rel err ${relativeError(ww, cw)}`);
  });
  test(`depthwise gradients (DepthwiseConv2dNativeBackpropFilter/Input) match cpu: ${label}`, () => {
    const xs = [g.b, g.h, g.w, g.ci];
    const ws = [g.k, g.k, g.ci, 1];
    const x = randomValues(
      xs.reduce((a, b) => a * b),
      4,
    );
    const w = randomValues(
      ws.reduce((a, b) => a * b),
      5,
    );
    const op = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.depthwiseConv2d(a, b, g.s, g.pad);
    const [wx, ww] = grads('wasm', op, x, xs, w, ws, 6);
    const [cx, cw] = grads('cpu', op, x, xs, w, ws, 6);
    assert.ok(relativeError(wx, cx) < 1e-4, `input grad rel err ${relativeError(wx, cx)}`);
    assert.ok(relativeError(ww, cw) < 1e-4, `filter grad rel err ${relativeError(ww, cw)}`);
  });
}

test('depthwise with channel multiplier 2 (cpu fallback path) matches cpu', () => {
  const xs = [2, 6, 6, 3];
  const ws = [3, 3, 3, 2];
  const x = randomValues(108 * 2, 7);
  const w = randomValues(54, 8);
  const op = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.depthwiseConv2d(a, b, 2, 'same');
  const [wx, ww] = grads('wasm', op, x, xs, w, ws, 9);
  const [cx, cw] = grads('cpu', op, x, xs, w, ws, 9);
  assert.ok(relativeError(wx, cx) < 1e-4);
  assert.ok(relativeError(ww, cw) < 1e-4);
});

function maxPoolGrad(backend: string, x: Float32Array, shape: [number, number, number, number], size: number, stride: number, pad: Pad): Float32Array {
  return onBackend(backend, () =>
    tf.tidy(() => {
      const t = tf.tensor4d(x, shape);
      const g = tf.grad((a: tf.Tensor) => {
        const y = tf.maxPool(a as tf.Tensor4D, size, stride, pad);
        return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', 11)));
      })(t);
      return g.dataSync() as Float32Array;
    }),
  );
}

test('MaxPoolGrad routes the gradient to the true maximum of an all-negative window (wasm bug fixed)', () => {
  const x = Float32Array.from([-5, -1, -3, -4, -2, -6, -7, -8, -9]);
  const g = maxPoolGrad('wasm', x, [1, 3, 3, 1], 3, 1, 'valid');
  const c = maxPoolGrad('cpu', x, [1, 3, 3, 1], 3, 1, 'valid');
  assert.deepEqual(
    [...g].map((v) => v !== 0),
    [false, true, false, false, false, false, false, false, false],
  );
  assert.deepEqual([...g], [...c]);
});

for (const [size, stride, pad] of [
  [2, 2, 'valid'],
  [3, 2, 'same'],
  [3, 1, 'same'],
  [2, 1, 'valid'],
] as const) {
  test(`MaxPoolGrad matches cpu on random data with negative windows: size ${size} stride ${stride} ${pad}`, () => {
    const shape: [number, number, number, number] = [2, 9, 9, 3];
    const x = randomValues(2 * 81 * 3, 12).map((v) => v - 1.5);
    assert.ok(relativeError(maxPoolGrad('wasm', x, shape, size, stride, pad), maxPoolGrad('cpu', x, shape, size, stride, pad)) < 1e-6);
  });
}

test('the composed kernels leak no tensors or wasm buffers', assertConvGradientsLeakNothing);

test('Identity and same-dtype Cast share the buffer safely: the copy survives the original', () => {
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  const c = tf.cast(a, 'float32');
  const d = tf.cast(a, 'int32');
  a.dispose();
  assert.deepEqual([...b.dataSync()], [1, 2, 3]);
  assert.deepEqual([...c.dataSync()], [1, 2, 3]);
  assert.equal(d.dtype, 'int32');
  assert.deepEqual([...d.dataSync()], [1, 2, 3]);
  const before = tf.memory().numDataBuffers;
  tf.dispose([b, c, d]);
  assert.equal(tf.memory().numDataBuffers, before - 2, 'b and c shared one buffer, d had its own');
});
