import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { initBackend } from '../../src/backend/backend.js';
import { GENERATORS } from '../../src/graph/generators.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan } from '../../src/model/registry.js';
import { buildModel } from '../../src/model/build.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { trainStep } from '../../src/train/step.js';

// Families whose graphs can be disconnected (ER, RGG, SBM) still give valid networks: a node
// without inputs reads the stage input, one without outputs feeds the stage output.
for (const generator of Object.keys(GENERATORS)) {
  test(`a RandWire wired by ${generator} trains a step and its loss is finite`, async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const model = buildModel(modelPlan({ ...DEFAULT_MODEL_OPTIONS, model: 'randwire', generator, graphParams: {}, nodes: 8, channels: 4 }, LATEST_SEEDING), 5);
    const opt = makeOptimizer({ optimizer: 'adam', lr: 1e-3, epsilon: 1e-5, momentum: 0, nesterov: false });
    const x = tf.randomNormal([6, 28, 28, 1], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
    const r = trainStep(model, opt, x, y, { classes: 10, microBatch: 6, labelSmoothing: 0, weightDecay: 0 });
    assert.ok(Number.isFinite(r.loss) && r.loss > 0, `loss ${r.loss}`);
    tf.dispose([x, y]);
    model.dispose();
    opt.dispose();
    assert.ok(tf.memory().numTensors - before <= 2, 'no tensors leaked beyond the optimiser scalars');
  });
}
