import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan } from '../../src/model/registry.js';
import { complexity } from '../../src/model/complexity.js';
import { stageGraphSeed } from '../../src/model/randwire.js';
import { generateGraph } from '../../src/graph/generators.js';
import { inputNodes, outputNodes } from '../../src/graph/dag.js';
import type { RandomGraph } from '../../src/graph/types.js';

// Each test here would have caught one of the study's silent bugs.

const opts = { ...DEFAULT_MODEL_OPTIONS, generator: 'ba', graphParams: { m: 5 }, channels: 16 };

test('every node of stage i has the stage channel count (the study used 1 channel per node)', () => {
  const c = complexity(modelPlan(opts, LATEST_SEEDING));
  const expected = { conv3: [14, 16], conv4: [7, 32], conv5: [4, 64] } as const;
  for (const [stage, [px, ch]] of Object.entries(expected)) {
    const seps = c.layers.filter((l) => l.name.startsWith(`${stage}_`) && l.kind === 'sepconv');
    assert.equal(seps.length, 32, `${stage} has 32 nodes`);
    for (const l of seps) assert.deepEqual(l.outputShape, [px, px, ch], l.name);
  }
});

test('global pooling averages over space, keeping the 1280 channels (the study pooled the wrong axes)', () => {
  const c = complexity(modelPlan(opts, LATEST_SEEDING));
  const gap = c.layers.find((l) => l.kind === 'gap')!;
  assert.deepEqual(gap.outputShape, [1280]);
  assert.deepEqual(c.layers.find((l) => l.name === 'head_conv')!.outputShape, [4, 4, 1280]);
});

test('every edge of every stage graph is wired (the study kept only the first 32 edges)', () => {
  const plan = modelPlan(opts, LATEST_SEEDING);
  const graphs = (plan.metadata.randwire as { graphs: RandomGraph[] }).graphs;
  assert.equal(graphs.length, 3);
  graphs.forEach((g, i) => {
    assert.equal(g.edges.length, 5 * (32 - 5), 'BA(5) has 135 edges');
    assert.deepEqual(g, generateGraph('ba', 32, { m: 5 }, stageGraphSeed(opts.seed, i), LATEST_SEEDING));
    const prefix = `conv${3 + i}`;
    // Edges into a node: the inputs of its weighted sum, or the single predecessor read directly
    // (through a ReLU layer that other readers of the same tensor share).
    const layer = (name: string) => plan.layers.find((l) => l.name === name)!;
    let wired = 0;
    for (let v = 0; v < g.nodes; v++) {
      const into = layer(layer(`${prefix}_n${v}_sepconv`).inputs[0]!);
      if (into.op.kind === 'weightedSum') wired += into.inputs.length;
      else if (into.inputs[0]!.startsWith(`${prefix}_n`)) wired += 1;
    }
    assert.equal(wired, g.edges.length, `${prefix}: all edges become connections`);
    // Input nodes read the stage input with stride 2; the output is the mean of all output nodes.
    for (const v of inputNodes(g)) {
      const sep = layer(`${prefix}_n${v}_sepconv`);
      assert.equal(sep.op.kind === 'sepconv' && sep.op.stride, 2);
      assert.ok(!layer(sep.inputs[0]!).inputs[0]!.startsWith(`${prefix}_`), `input node ${v} reads the stage input`);
    }
    const mean = plan.layers.find((l) => l.name === `${prefix}_mean`)!;
    assert.equal(mean.op.kind, 'mean');
    assert.deepEqual(
      mean.inputs,
      outputNodes(g).map((v) => `${prefix}_n${v}_bn`),
    );
  });
});

test('ReLU of a tensor is computed once, however many nodes read it', () => {
  // WS(4, 0.75) at seed 1 has several input nodes per stage and nodes with several single-input successors.
  const plan = modelPlan({ ...DEFAULT_MODEL_OPTIONS, generator: 'ws', graphParams: { k: 4, p: 0.75 }, channels: 8 }, LATEST_SEEDING);
  const relus = plan.layers.filter((l) => l.op.kind === 'relu').map((l) => l.inputs[0]!);
  assert.equal(new Set(relus).size, relus.length, 'no two ReLU layers read the same tensor');
  const readers = (t: string) => plan.layers.filter((l) => l.inputs.includes(t)).length;
  assert.ok(
    relus.some((t) => readers(`${t}_relu`) > 1),
    'some shared ReLU has several readers',
  );
  const graphs = (plan.metadata.randwire as { graphs: RandomGraph[] }).graphs;
  assert.equal(readers('conv2_bn_relu'), inputNodes(graphs[0]!).length, 'every input node of conv3 reads the one ReLU of its input');
  assert.ok(inputNodes(graphs[0]!).length > 1);
});

test('stage graphs are independent and seeded: same seed same graphs, other seed other graphs', () => {
  const a = modelPlan(opts, LATEST_SEEDING).metadata.randwire as { graphs: RandomGraph[] };
  const b = modelPlan(opts, LATEST_SEEDING).metadata.randwire as { graphs: RandomGraph[] };
  const c = modelPlan({ ...opts, seed: 2 }, LATEST_SEEDING).metadata.randwire as { graphs: RandomGraph[] };
  assert.deepEqual(a.graphs, b.graphs);
  assert.notDeepEqual(a.graphs[0]!.edges, a.graphs[1]!.edges);
  assert.notDeepEqual(a.graphs[0]!.edges, c.graphs[0]!.edges);
});
