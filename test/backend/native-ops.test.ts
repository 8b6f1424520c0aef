import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { WeightedSum } from '../../src/model/layers.js';
import { OnednnAdam } from '../../src/train/onednn-adam.js';
import { onBackend, randomValues, relativeError } from '../helpers/tf.js';
import { runCli } from '../helpers/cli.js';
import { nativeAndCpu, nativeAvailable, nativeSkip } from '../helpers/native.js';

// The addon's element-wise, reduction, optimiser and matmul kernels against cpu; its convolutions
// and pools are in native-kernels.test.ts.
const available = nativeAvailable;
const skip = nativeSkip;

before(nativeAndCpu);

test('native Sum over all but the last axis matches cpu; other reductions use wasm', { skip }, () => {
  const x = randomValues(4 * 5 * 6 * 7, 14);
  const cases: Array<[number | number[], boolean]> = [
    [[0, 1, 2], false],
    [[0, 1, 2], true],
    [[2, 0, 1], false],
    [[-4, -3, -2], true],
    [[0, 1], false],
    [3, false],
    [[1, 2], true],
    [[0, 1, 2, 3], false],
  ];
  for (const [axis, keepDims] of cases) {
    const s = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(() => {
          const y = tf.sum(tf.tensor4d(x, [4, 5, 6, 7]), axis, keepDims);
          return { shape: y.shape, values: y.dataSync() as Float32Array };
        }),
      );
    const [a, b] = [s('wasm'), s('cpu')];
    assert.deepEqual(a.shape, b.shape, `axis ${axis} keepDims ${keepDims}`);
    assert.ok(relativeError(a.values, b.values) < 1e-5, `axis ${axis} keepDims ${keepDims}`);
  }
});

test('native weighted sum (RandWire node input), linear and with its ReLU, matches cpu: output, input and edge-weight gradients', { skip }, () => {
  // The second shape spans several of the gradient's 4,096-element blocks and ends in a partial
  // one; the third is large enough for the kernels to split it over threads.
  const cases = [1, 2, 3, 5].flatMap((k) =>
    [[3, 6, 6, 4], [5, 9, 11, 13], ...(k <= 2 ? [[4, 16, 16, 41]] : [])].flatMap((shape) =>
      (['linear', 'relu'] as const).map((activation) => ({ k, shape, activation })),
    ),
  );
  for (const { k, shape, activation } of cases) {
    const label = `k=${k} shape ${shape.join('x')} ${activation}`;
    const n = shape.reduce((a, b) => a * b);
    const xs = Array.from({ length: k }, (_, i) => randomValues(n, 30 + i));
    const w0 = randomValues(k, 40);
    const run = (backend: string): Float32Array[] =>
      onBackend(backend, () => {
        const layer = new WeightedSum({ activation });
        layer.build(Array.from({ length: k }, () => shape));
        layer.setWeights([tf.tensor1d(w0)]);
        return tf.tidy(() => {
          const inputs = xs.map((x) => tf.tensor(x, shape));
          const r = tf.randomNormal(shape, 0, 1, 'float32', 41);
          const f = (...ins: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(layer.apply(ins.length === 1 ? ins[0]! : ins) as tf.Tensor, r));
          const y = (layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.Tensor).dataSync() as Float32Array;
          const gx = tf
            .grads(f)(inputs)
            .map((g) => g.dataSync() as Float32Array);
          const { grads } = tf.variableGrads(() => f(...inputs), [layer.trainableWeights[0]!.read() as tf.Variable]);
          return [y, ...gx, ...Object.values(grads).map((g) => g.dataSync() as Float32Array)];
        });
      });
    const native = run('wasm');
    const cpu = run('cpu');
    assert.equal(native.length, k + 2);
    if (activation === 'relu') assert.ok(native[0]!.some((v) => v === 0) && native[0]!.some((v) => v > 0), `${label}: the ReLU clips some outputs`);
    native.forEach((a, i) => assert.ok(relativeError(a, cpu[i]!) < 1e-5, `${label}: output ${i} relative error ${relativeError(a, cpu[i]!)}`));
  }
});

test('native ReLU gradient matches cpu (zeros and negatives included; small and multi-threaded sizes)', { skip }, () => {
  for (const shape of [
    [4, 5, 6],
    [3, 20, 20, 37],
  ]) {
    const x = randomValues(
      shape.reduce((a, b) => a * b),
      50,
    ).map((v, i) => (i % 7 === 0 ? 0 : v));
    const g = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(
          () =>
            tf
              .grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), tf.randomNormal(shape, 0, 1, 'float32', 51))))(tf.tensor(x, shape))
              .dataSync() as Float32Array,
        ),
      );
    assert.equal(relativeError(g('wasm'), g('cpu')), 0, `shape ${shape}`);
  }
});

test('native Add and Relu (large same-shape float32) match cpu; broadcast, small and int32 ones fall back to wasm', { skip }, () => {
  const big = [3, 20, 20, 37];
  const cases: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, number[], number[]]> = [
    ['add', tf.add, big, big],
    ['add broadcast', tf.add, big, [37]],
    ['add small', tf.add, [4, 5], [4, 5]],
    ['relu', (a) => tf.relu(a), big, big],
    ['relu small', (a) => tf.relu(a), [4, 5], [4, 5]],
  ];
  for (const [label, op, sa, sb] of cases) {
    const a = randomValues(
      sa.reduce((x, y) => x * y),
      70,
    );
    const b = randomValues(
      sb.reduce((x, y) => x * y),
      71,
    );
    const run = (backend: string) => onBackend(backend, () => tf.tidy(() => op(tf.tensor(a, sa), tf.tensor(b, sb)).dataSync() as Float32Array));
    assert.equal(relativeError(run('wasm'), run('cpu')), 0, label);
  }
  const ints = (backend: string) => onBackend(backend, () => tf.tidy(() => [...tf.add(tf.fill(big, 2, 'int32'), tf.fill(big, 3, 'int32')).dataSync()]));
  assert.deepEqual(ints('wasm'), ints('cpu'));
});

test('OnednnAdam with the native update matches tfjs Adam on cpu over several steps, and saves the same weights', { skip }, async () => {
  // The third variable is large enough for the update to be split over threads.
  const init = [randomValues(12, 60), randomValues(5, 61), randomValues(40000, 62)];
  const run = async (backend: string): Promise<Float32Array[]> => {
    const previous = tf.getBackend();
    tf.setBackend(backend);
    try {
      const vars = init.map((v, i) => tf.variable(tf.tensor(v), true, `adam_test_${backend}_${i}`));
      const opt = backend === 'wasm' ? new OnednnAdam(0.01, 0.9, 0.999, 1e-5) : tf.train.adam(0.01, 0.9, 0.999, 1e-5);
      for (let step = 0; step < 4; step++) {
        opt.minimize(
          () => tf.addN([tf.sum(tf.square(tf.sub(vars[0]!, 1))), tf.sum(tf.mul(vars[1]!, tf.sin(vars[1]!))), tf.sum(tf.abs(vars[2]!))]) as tf.Scalar,
        );
      }
      const weights = await opt.getWeights();
      return [...vars.map((v) => v.dataSync() as Float32Array), ...weights.map((w) => w.tensor.dataSync() as Float32Array)];
    } finally {
      tf.setBackend(previous);
    }
  };
  const native = await run('wasm');
  const cpu = await run('cpu');
  assert.equal(native.length, cpu.length);
  native.forEach((a, i) => assert.ok(relativeError(a, cpu[i]!) < 1e-4, `value ${i}: relative error ${relativeError(a, cpu[i]!)}`));
});

test('native BatchMatMul (sgemm) matches cpu: transposes, batches, broadcast batch', { skip }, () => {
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 5, 7], [4, 7, 3], false, false],
    [[1, 5, 7], [4, 7, 3], false, false],
    [[4, 7, 5], [1, 3, 7], true, true],
    [[64, 300], [300, 128], false, false],
  ];
  for (const [sa, sb, ta, tb] of cases) {
    const a = randomValues(
      sa.reduce((x, y) => x * y),
      70,
    );
    const b = randomValues(
      sb.reduce((x, y) => x * y),
      71,
    );
    const mm = (backend: string) =>
      onBackend(backend, () =>
        tf.tidy(() => {
          const y = tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb);
          return { shape: y.shape, values: y.dataSync() as Float32Array };
        }),
      );
    const [n, c] = [mm('wasm'), mm('cpu')];
    assert.deepEqual(n.shape, c.shape);
    assert.ok(relativeError(n.values, c.values) < 1e-5, `${sa} x ${sb} ${ta} ${tb}: ${relativeError(n.values, c.values)}`);
  }
});

test('randwire info names the backend in use; a bad RANDWIRE_THREADS is a one-line error', () => {
  const info = runCli(['info', '--json']);
  assert.equal(info.status, 0, info.stderr);
  assert.equal(JSON.parse(info.stdout).backend, available ? 'wasm+onednn' : 'wasm');
  const bad = runCli(['info'], { env: { RANDWIRE_THREADS: 'two' } });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /RANDWIRE_THREADS must be a whole number >= 1, got 'two'/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
