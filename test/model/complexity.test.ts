import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { DEFAULT_MODEL_OPTIONS, MODEL_NAMES, modelPlan, type ModelOptions } from '../../src/model/registry.js';
import { complexity } from '../../src/model/complexity.js';
import { buildModel } from '../../src/model/build.js';
import { initBackend } from '../../src/backend/backend.js';
import { RandwireError } from '../../src/core/errors.js';

before(() => initBackend('wasm'));

const imagenet = (channels: number, regime: 'small' | 'regular', seed = 1): ModelOptions => ({
  ...DEFAULT_MODEL_OPTIONS,
  inputShape: [224, 224, 3],
  classes: 1000,
  channels,
  regime,
  seed,
});

test('small regime C=78 N=32 WS(4,0.75) on 224x224x3: about 5.6 M params and 0.58 G multiply-adds (Xie et al.)', () => {
  for (const seed of [1, 2, 3]) {
    const c = complexity(modelPlan(imagenet(78, 'small', seed), LATEST_SEEDING));
    assert.ok(Math.abs(c.trainableParams / 1e6 - 5.6) < 0.2, `params ${c.trainableParams}`);
    assert.ok(Math.abs(c.flops / 1e9 - 0.583) < 0.02, `flops ${c.flops}`);
  }
});

test('regular regime C=109: about 32 M params and 4.0 G multiply-adds (Xie et al.: 31.9 +/- 1.1 M, 4.0 +/- 0.1 G)', () => {
  const c = complexity(modelPlan(imagenet(109, 'regular'), LATEST_SEEDING));
  assert.ok(Math.abs(c.trainableParams / 1e6 - 31.9) < 1.2, `params ${c.trainableParams}`);
  assert.ok(Math.abs(c.flops / 1e9 - 4.0) < 0.12, `flops ${c.flops}`);
});

test('small-input RandWire C=32 N=32 on 28x28: ~0.9 M params, ~30 M multiply-adds', () => {
  const c = complexity(modelPlan(DEFAULT_MODEL_OPTIONS, LATEST_SEEDING));
  assert.ok(Math.abs(c.params / 1e6 - 0.9) < 0.1, `params ${c.params}`);
  assert.ok(Math.abs(c.flops / 1e6 - 30) < 3, `flops ${c.flops}`);
});

for (const name of MODEL_NAMES) {
  test(`complexity.ts equals tfjs countParams and output shapes for ${name}`, () => {
    const opts: ModelOptions = { ...DEFAULT_MODEL_OPTIONS, model: name, channels: 8, nodes: 10, dropout: 0.1 };
    const plan = modelPlan(opts, LATEST_SEEDING);
    const c = complexity(plan);
    const model = buildModel(plan, 1);
    assert.equal(c.params, model.countParams());
    for (const layer of c.layers) {
      const shape = model.getLayer(layer.name).outputShape as number[];
      assert.deepEqual(shape.slice(1), layer.outputShape, layer.name);
    }
    model.dispose();
  });
}

test('regular regime builds and matches its count too', () => {
  const plan = modelPlan({ ...DEFAULT_MODEL_OPTIONS, channels: 8, nodes: 8, regime: 'regular', generator: 'ba', graphParams: { m: 2 } }, LATEST_SEEDING);
  const model = buildModel(plan, 1);
  assert.equal(complexity(plan).params, model.countParams());
  assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
  model.dispose();
});

test('invalid model options are one-line errors', () => {
  const bad: Array<[Partial<ModelOptions>, RegExp]> = [
    [{ model: 'resnet' }, /unknown model 'resnet'/],
    [{ classes: 1 }, /classes must be an integer >= 2/],
    [{ inputShape: [28, 0, 1] }, /input shape/],
    [{ channels: 1 }, /channels must be an integer >= 2/],
    [{ nodes: 1 }, /nodes must be an integer >= 2/],
    [{ dropout: 1 }, /dropout must be in \[0, 1\)/],
    [{ generator: 'ws', graphParams: { k: 5, p: 0.5 } }, /k must be even/],
    [{ model: 'tinycnn', inputShape: [8, 8, 1] }, /at least 16x16/],
  ];
  for (const [over, message] of bad) {
    assert.throws(
      () => modelPlan({ ...DEFAULT_MODEL_OPTIONS, ...over }, LATEST_SEEDING),
      (e: unknown) => e instanceof RandwireError && message.test(e.message),
      JSON.stringify(over),
    );
  }
  assert.equal(tf.memory().numTensors, 0);
});
