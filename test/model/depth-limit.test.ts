import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_MODEL_OPTIONS, modelPlan } from '../../src/model/registry.js';
import { planDepth } from '../../src/model/plan.js';
import { buildModel } from '../../src/model/build.js';
import { LIMITS } from '../../src/core/limits.js';
import '../../src/model/register.js';

const chain = (nodes: number) => ({ ...DEFAULT_MODEL_OPTIONS, generator: 'chain', graphParams: {}, nodes, channels: 2 });

test('a model at the depth limit builds, predicts, saves and loads without overflowing the stack', { timeout: 300_000 }, async () => {
  // A chain of 332 nodes in each of 3 stages: 2,999 layers on the longest path.
  const plan = modelPlan(chain(332), 2);
  assert.equal(planDepth(plan), LIMITS.modelDepth - 1);
  const model = buildModel(plan, 1);
  const y = tf.tidy(() => (model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).dataSync());
  assert.equal(y.length, 10);
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  assert.equal(loaded.layers.length, model.layers.length);
  model.dispose();
  loaded.dispose();
});

test('one node more is past the depth limit: refused when planned, with the depth and the limit', () => {
  assert.throws(() => modelPlan(chain(333), 2), /^RandwireError: model: the model is 3,008 layers deep, more than the 3,000 tfjs-layers can build/);
});
