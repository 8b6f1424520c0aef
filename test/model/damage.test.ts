import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_MODEL_OPTIONS, modelPlan } from '../../src/model/registry.js';
import { buildModel } from '../../src/model/build.js';
import { DamageEvaluator, damageCandidates } from '../../src/model/damage.js';
import { STAGE_NAMES } from '../../src/model/randwire.js';
import { generateGraph } from '../../src/graph/generators.js';
import { predecessors, successors } from '../../src/graph/dag.js';
import { initBackend } from '../../src/backend/backend.js';
import type { RandomGraph } from '../../src/graph/types.js';

before(async () => {
  await initBackend('wasm');
  x = tf.randomNormal([6, 28, 28, 1], 0, 1, 'float32', 3);
});

const graphs = [11, 12, 13].map((seed) => generateGraph('er', 8, { p: 0.45 }, seed, 1));
const options = { ...DEFAULT_MODEL_OPTIONS, channels: 4, nodes: 8, graphs };

/**
 * A model as if trained: He-initialised convolutions (seeded), and drawn (seeded) edge gates and
 * batch-norm parameters and statistics, so that edges differ and BN is not the identity.
 */
function trainedLike(graphsOf: RandomGraph[], seed: number): tf.LayersModel {
  const model = buildModel(modelPlan({ ...options, graphs: graphsOf }, 1), seed);
  let k = seed;
  const draw = (shape: number[], lo: number, hi: number): tf.Tensor => tf.randomUniform(shape, lo, hi, 'float32', k++);
  for (const layer of model.layers) {
    const w = layer.getWeights();
    if (layer.getClassName() === 'RandwireWeightedSum') layer.setWeights([draw(w[0]!.shape, -1.5, 1.5)]);
    if (layer.getClassName() === 'BatchNormalization')
      layer.setWeights(
        [
          [0.5, 1.5],
          [-0.2, 0.2],
          [-0.2, 0.2],
          [0.5, 1.5],
        ].map(([lo, hi], i) => draw(w[i]!.shape, lo!, hi!)),
      );
  }
  return model;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
/** Max difference relative to the reference's largest value. */
const relDiff = (a: tf.Tensor, b: tf.Tensor): number => maxDiff(a, b) / tf.tidy(() => tf.max(tf.abs(b)).dataSync()[0]!);
/** The features the classifier reads: softmax outputs can saturate and hide a difference. */
const FEATURES = (): string => modelPlan(options, 1).layers.find((l) => l.name === 'classifier')!.inputs[0]!;
const features = (m: tf.LayersModel): tf.Tensor =>
  tf.model({ inputs: m.inputs, outputs: m.getLayer(FEATURES()).output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
let x: tf.Tensor;

test("removing nothing gives the model's own outputs", () => {
  const model = trainedLike(graphs, 100);
  const ev = new DamageEvaluator(model, modelPlan(options, 1));
  const base = ev.base(x);
  assert.ok(maxDiff(ev.output(base, x, { kind: 'none' }), model.predict(x) as tf.Tensor) < 1e-6);
});

test('removing an edge equals a model built without it, with the same weights (1e-5)', () => {
  const model = trainedLike(graphs, 200);
  const ev = new DamageEvaluator(model, modelPlan(options, 1));
  const base = ev.base(x);
  let checked = 0;
  graphs.forEach((g, stage) => {
    const preds = predecessors(g);
    const succs = successors(g);
    // The rebuilt model has the same node roles only if the head keeps a sum (>= 3 inputs) and the tail stays a non-output.
    for (const [from, to] of g.edges.filter(([u, v]) => preds[v]!.length >= 3 && succs[u]!.length >= 2).slice(0, 2)) {
      const cut = graphs.map((h, i) => (i === stage ? { ...h, edges: h.edges.filter(([u, v]) => u !== from || v !== to) } : h));
      const rebuilt = buildModel(modelPlan({ ...options, graphs: cut }, 1), 1);
      const sum = STAGE_NAMES.sum(STAGE_NAMES.stage('small', stage), to);
      for (const layer of rebuilt.layers) {
        const w = model.getLayer(layer.name).getWeights();
        if (layer.name !== sum) layer.setWeights(w);
        else layer.setWeights([tf.tensor1d(Array.from(w[0]!.dataSync()).filter((_, i) => i !== preds[to]!.indexOf(from)))]);
      }
      const changed = ev.recompute(base, x, { kind: 'edge', stage, from, to });
      const damaged = changed.get(FEATURES())!;
      const diff = relDiff(damaged, features(rebuilt));
      assert.ok(diff < 1e-5, `stage ${stage + 1}, edge ${from}->${to}: ${diff}`);
      // The removal moves the features ten times more than the tolerance: the comparison can fail.
      assert.ok(relDiff(damaged, base.get(FEATURES())!) > 1e-4, `edge ${from}->${to} changed nothing`);
      assert.ok(maxDiff(ev.output(base, x, { kind: 'edge', stage, from, to }), rebuilt.predict(x) as tf.Tensor) < 1e-5);
      checked++;
    }
  });
  assert.ok(checked >= 3, `only ${checked} edges fit the check`);
});

test('a node left without inputs reads zeros; a removed output node leaves the mean of the others', () => {
  const model = trainedLike(graphs, 300);
  const ev = new DamageEvaluator(model, modelPlan(options, 1));
  const base = ev.base(x);
  let zeroCases = 0;
  graphs.forEach((g, stage) => {
    const prefix = STAGE_NAMES.stage('small', stage);
    const preds = predecessors(g);
    const succs = successors(g);
    for (let v = 0; v < g.nodes; v++) {
      const orphans = succs[v]!.filter((w) => preds[w]!.length === 1);
      if (!orphans.length || !damageCandidates([ev.stages[stage]!], 'nodes').some((d) => d.kind === 'node' && d.node === v)) continue;
      const changed = ev.recompute(base, x, { kind: 'node', stage, node: v });
      for (const w of orphans) {
        const conv = STAGE_NAMES.conv(prefix, w);
        const expected = model
          .getLayer(conv)
          .apply(tf.zerosLike(base.get(model.getLayer(conv).inboundNodes[0]!.inboundLayers[0]!.name)!), { training: false }) as tf.Tensor;
        assert.ok(maxDiff(changed.get(conv)!, expected) === 0, `stage ${stage + 1}: node ${w} should read zeros when ${v} is removed`);
        zeroCases++;
      }
    }
  });
  assert.ok(zeroCases > 0, 'no node was left without inputs in these graphs');
  // An output node: the stage output is the mean of the other output nodes.
  const s = ev.stages.findIndex((st) => st.outputs.length >= 2);
  const st = ev.stages[s]!;
  const changed = ev.recompute(base, x, { kind: 'node', stage: s, node: st.outputs[0]! });
  const others = st.outputs.slice(1).map((v) => changed.get(`${STAGE_NAMES.node(st.prefix, v)}_bn`) ?? base.get(`${STAGE_NAMES.node(st.prefix, v)}_bn`)!);
  assert.ok(maxDiff(changed.get(STAGE_NAMES.mean(st.prefix))!, tf.div(tf.addN(others), others.length)) < 1e-6);
});

test('only-input and only-output nodes are never removed; a baseline has nothing to damage', () => {
  const ev = new DamageEvaluator(trainedLike(graphs, 400), modelPlan(options, 1));
  for (const [i, st] of ev.stages.entries()) {
    const nodes = damageCandidates([st], 'nodes').map((d) => (d.kind === 'node' ? d.node : -1));
    if (st.inputs.length === 1) assert.ok(!nodes.includes(st.inputs[0]!), `stage ${i + 1}`);
    if (st.outputs.length === 1) assert.ok(!nodes.includes(st.outputs[0]!), `stage ${i + 1}`);
    assert.equal(damageCandidates([st], 'edges').length, st.graph.edges.length);
  }
  assert.throws(
    () => new DamageEvaluator(trainedLike(graphs, 1), modelPlan({ ...options, model: 'tinycnn' }, 1)),
    /a tinycnn model has no random graphs to damage/,
  );
});
