import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { DEFAULT_MODEL_OPTIONS, MODEL_NAMES, modelPlan } from '../../src/model/registry.js';
import { buildModel } from '../../src/model/build.js';
import { loadModel, readModelArtifacts, saveModel } from '../../src/io/model-files.js';
import { initBackend } from '../../src/backend/backend.js';
import { RandwireError } from '../../src/core/errors.js';
import type { RandomGraph } from '../../src/graph/types.js';
import { tempFolder } from '../helpers/folder.js';

before(() => initBackend('wasm'));
const tmp = tempFolder('randwire-model-');

for (const name of MODEL_NAMES) {
  test(`${name}: save and load round trip gives identical predictions`, async () => {
    const plan = modelPlan({ ...DEFAULT_MODEL_OPTIONS, model: name, channels: 8, nodes: 8, dropout: 0.2 }, LATEST_SEEDING);
    const model = buildModel(plan, 3);
    const dir = join(tmp, name);
    await saveModel(model, dir);
    // Plain tfjs loading: the standard model.json + weights.bin through tf.loadLayersModel.
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(readModelArtifacts(dir)));
    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 5);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    assert.deepEqual([...b], [...a]);
    assert.equal(loaded.countParams(), model.countParams());
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });
}

test('a saved RandWire model carries its stage graphs, every edge of them', async () => {
  const plan = modelPlan({ ...DEFAULT_MODEL_OPTIONS, generator: 'ba', graphParams: { m: 5 }, channels: 4 }, LATEST_SEEDING);
  const model = buildModel(plan, 1);
  const dir = join(tmp, 'ba');
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const meta = loaded.getUserDefinedMetadata() as { randwirePlan: { metadata: { randwire: { graphs: RandomGraph[] } } } };
  const graphs = meta.randwirePlan.metadata.randwire.graphs;
  assert.equal(graphs.length, 3);
  for (const g of graphs) assert.equal(g.edges.length, 135);
  model.dispose();
  loaded.dispose();
});

test('damaged or missing model files give clear errors', async () => {
  const model = buildModel(modelPlan({ ...DEFAULT_MODEL_OPTIONS, model: 'tinycnn' }, LATEST_SEEDING), 1);
  const dir = join(tmp, 'damaged');
  await saveModel(model, dir);
  model.dispose();
  await assert.rejects(loadModel(join(tmp, 'nowhere')), (e: unknown) => e instanceof RandwireError && /missing model.json/.test(e.message));
  truncateSync(join(dir, 'weights.bin'), 100);
  await assert.rejects(loadModel(dir), (e: unknown) => e instanceof RandwireError && /damaged/.test(e.message));
  writeFileSync(join(dir, 'model.json'), '{oops');
  await assert.rejects(loadModel(dir), (e: unknown) => e instanceof RandwireError && /not valid JSON/.test(e.message));
});

test('RandwireWeightedSum: configs saved before the fused ReLU load as linear sums; a bad activation is a clear error', () => {
  const x = [tf.tensor([-2, 1, 3], [1, 1, 1, 3]), tf.tensor([-2, -3, 1], [1, 1, 1, 3])];
  const sum = (config: tf.serialization.ConfigDict): number[] => {
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.RandwireWeightedSum!;
    const layer = fromConfig(cls, config) as tf.layers.Layer;
    return [...(layer.apply(x) as tf.Tensor).dataSync()];
  };
  // Edge weights start at 0, so each input counts half.
  assert.deepEqual(sum({ name: 'old' }), [-2, -1, 2]);
  assert.deepEqual(sum({ name: 'fused', activation: 'relu' }), [0, 0, 2]);
  assert.throws(
    () => sum({ name: 'bad', activation: 'tanh' }),
    (e: unknown) => e instanceof RandwireError && /activation must be/.test(e.message),
  );
  tf.dispose(x);
});
