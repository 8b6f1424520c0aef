import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_MODEL_OPTIONS, MODEL_NAMES, modelPlan } from '../../src/model/registry.js';
import { buildModel } from '../../src/model/build.js';
import { crossEntropy } from '../../src/train/loss.js';
import { seedLayerRng } from '../../src/model/layer-rng.js';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { bothBackends, onBackend } from '../helpers/tf.js';
import { mnistBatch } from '../helpers/mnist.js';

before(bothBackends);

const small = (model: string) => ({ ...DEFAULT_MODEL_OPTIONS, model, channels: 8, nodes: 8 });

// Smaller batches for the heavier baselines keep the suite fast; the check is the same.
const STEP_BATCH: Record<string, number> = { randwire: 64, tinycnn: 64, handmadecnn: 32, alexnet: 16 };

for (const name of MODEL_NAMES) {
  test(`${name}: Adam steps on real MNIST lower the loss on wasm, and no tensor leaks`, () => {
    const { x, y } = mnistBatch(STEP_BATCH[name] ?? 32);
    const model = buildModel(modelPlan(small(name), LATEST_SEEDING), 1);
    const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-5);
    seedLayerRng(1, LATEST_SEEDING);
    const evalLoss = (): number => tf.tidy(() => crossEntropy(model.apply(x, { training: false }) as tf.Tensor, y, 10).dataSync()[0]!);
    const step = (): number => {
      const l = opt.minimize(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, 10), true) as tf.Scalar;
      const v = l.dataSync()[0]!;
      l.dispose();
      return v;
    };
    const first = step();
    const tensorsAfterFirst = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 9; i++) last = step();
    assert.equal(tf.memory().numTensors, tensorsAfterFirst, 'steps leak no tensors');
    assert.ok(Number.isFinite(last) && last < first * 0.8, `${name}: training loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    assert.ok(Number.isFinite(evalLoss()));
    model.dispose();
    opt.dispose();
    x.dispose();
    y.dispose();
  });
}

/**
 * The whole training gradient of each model on wasm against the pure-JS cpu backend. Per-kernel
 * tests (wasm-gradients.test.ts) are strict; here float noise is amplified where batch norm makes
 * a gradient a cancellation of large terms (edge weights feeding BN are nearly scale-invariant),
 * so each tensor is compared to its own norm plus a small share of the whole gradient's norm.
 * A wrong kernel (e.g. wasm's MaxPoolGrad) gives errors of order 1. AlexNet uses no kernel that
 * these three do not (checked below) and is too slow on the cpu backend for the suite.
 */
const GRADIENT_CASES: Array<[string, number]> = [
  ['randwire', 16],
  ['tinycnn', 8],
  ['handmadecnn', 4],
];

function trainingGradients(backend: string, name: string, n: number): Array<{ name: string; g: Float32Array }> {
  const plan = modelPlan(small(name), LATEST_SEEDING);
  const data = onBackend('cpu', () => {
    const { x, y } = mnistBatch(n, 100);
    const out = { x: x.dataSync().slice(), y: y.dataSync().slice() };
    x.dispose();
    y.dispose();
    return out;
  });
  return onBackend(backend, () => {
    const model = buildModel(plan, 7);
    seedLayerRng(3, LATEST_SEEDING);
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const result = tf.tidy(() => {
      const x = tf.tensor4d(data.x, [n, 28, 28, 1]);
      const y = tf.tensor1d(data.y, 'int32');
      const { grads } = tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, 10), vars);
      return vars.map((v) => ({ name: v.name, g: grads[v.name]!.dataSync() as Float32Array }));
    });
    model.dispose();
    return result;
  });
}

const norm = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
};

for (const [name, n] of GRADIENT_CASES) {
  test(`${name}: every gradient of the training loss on wasm matches the cpu backend`, () => {
    const w = trainingGradients('wasm', name, n);
    const c = trainingGradients('cpu', name, n);
    assert.equal(w.length, c.length);
    const total = Math.sqrt(c.reduce((s, t) => s + norm(t.g) ** 2, 0));
    for (let i = 0; i < w.length; i++) {
      const diff = norm(w[i]!.g.map((v, j) => v - c[i]!.g[j]!));
      const allowed = 2e-2 * norm(c[i]!.g) + (2e-3 * total) / Math.sqrt(w.length);
      assert.ok(
        diff <= allowed,
        `${name} ${c[i]!.name}: |wasm-cpu| ${diff.toExponential(2)} > ${allowed.toExponential(2)} (|cpu| ${norm(c[i]!.g).toExponential(2)})`,
      );
    }
  });
}

test('every kernel that training any registered model runs is covered by a wasm-vs-cpu check', async () => {
  const used = new Set<string>();
  for (const name of MODEL_NAMES) {
    const model = buildModel(modelPlan(small(name), LATEST_SEEDING), 1);
    const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-5);
    const { x, y } = mnistBatch(4);
    const profile = await tf.profile(() => {
      opt.minimize(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, 10));
    });
    for (const k of profile.kernelNames) used.add(k);
    model.dispose();
    opt.dispose();
    x.dispose();
    y.dispose();
  }
  const coveredByModels = new Set<string>();
  for (const [name] of GRADIENT_CASES) {
    const model = buildModel(modelPlan(small(name), LATEST_SEEDING), 1);
    const { x, y } = mnistBatch(4);
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const profile = await tf.profile(() => {
      tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, 10), vars);
    });
    for (const k of profile.kernelNames) coveredByModels.add(k);
    model.dispose();
    x.dispose();
    y.dispose();
  }
  // The optimiser's element-wise update kernels run on the same values on both backends in
  // the Adam steps above; they are listed so that a new kernel still fails this test.
  const adamKernels = ['Sqrt', 'RealDiv', 'Multiply', 'Add', 'Sub', 'Square', 'Pow', 'Identity', 'Cast', 'Fill'];
  const missing = [...used].filter((k) => !coveredByModels.has(k) && !adamKernels.includes(k));
  assert.deepEqual(missing, [], `kernels used in training but never compared with cpu: ${missing.join(', ')}`);
});
