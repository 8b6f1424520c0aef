import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { graphStats } from '../../src/graph/stats.js';
import { inputNodes, longestPath, outputNodes, topologicalOrder } from '../../src/graph/dag.js';
import { generateGraph } from '../../src/graph/generators.js';
import { toDot, nodeRole } from '../../src/graph/dot.js';
import { drawGraph } from '../../src/graph/draw.js';

test('statistics of a chain', () => {
  const s = graphStats(generateGraph('chain', 5, {}, 1, LATEST_SEEDING));
  assert.equal(s.edges, 4);
  assert.equal(s.inputs, 1);
  assert.equal(s.outputs, 1);
  assert.equal(s.longestPath, 4);
  assert.equal(s.clustering, 0);
  assert.deepEqual(s.degreeHistogram, [0, 2, 3]);
  // Path of 5: distances sum over ordered pairs = 2*(4*1+3*2+2*3+1*4) = 40, over 20 pairs.
  assert.equal(s.averageShortestPath, 2);
  assert.equal(s.components, 1);
});

test('statistics of a complete graph', () => {
  const s = graphStats(generateGraph('complete', 6, {}, 1, LATEST_SEEDING));
  assert.equal(s.clustering, 1);
  assert.equal(s.averageShortestPath, 1);
  assert.equal(s.longestPath, 5);
  assert.equal(s.meanDegree, 5);
});

test('components and isolated nodes', () => {
  const g = {
    nodes: 5,
    edges: [
      [0, 1],
      [2, 3],
    ] as Array<[number, number]>,
  };
  const s = graphStats(g);
  assert.equal(s.components, 3);
  assert.equal(s.averageShortestPath, 1);
  assert.deepEqual(inputNodes(g), [0, 2, 4]);
  assert.deepEqual(outputNodes(g), [1, 3, 4]);
  assert.deepEqual(nodeRole(g), ['input', 'output', 'input', 'output', 'input']);
});

test('clustering of a triangle with a tail', () => {
  // Triangle 0-1-2 plus 2-3: node 2 has 1 link among 3 neighbours -> 1/3; nodes 0, 1 -> 1; node 3 -> 0.
  const s = graphStats({
    nodes: 4,
    edges: [
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
    ],
  });
  assert.ok(Math.abs(s.clustering - (1 + 1 + 1 / 3) / 4) < 1e-12);
});

test('topological order and longest path on a diamond', () => {
  const g = {
    nodes: 4,
    edges: [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ] as Array<[number, number]>,
  };
  assert.deepEqual(topologicalOrder(g), [0, 1, 2, 3]);
  assert.equal(longestPath(g), 2);
  assert.throws(
    () =>
      topologicalOrder({
        nodes: 2,
        edges: [
          [0, 1],
          [1, 0],
        ],
      }),
    /cycle/,
  );
});

test('drawing colours input nodes blue, hidden green and output red', async () => {
  const g = generateGraph('ba', 32, { m: 5 }, 1, LATEST_SEEDING);
  const dot = toDot(g, 'dag');
  assert.equal((dot.match(/->/g) ?? []).length, 135);
  const svg = await drawGraph(g, 'dag');
  assert.match(svg, /^<\?xml|<svg/);
  const count = (colour: string): number => (svg.match(new RegExp(`fill="${colour}"`, 'g')) ?? []).length;
  const s = graphStats(g);
  assert.equal(count('#4c78d8'), s.inputs);
  assert.equal(count('#e0453a'), s.outputs);
  assert.equal(count('#4caf50'), 32 - s.inputs - s.outputs);
  const ring = await drawGraph(generateGraph('ws', 32, { k: 4, p: 0.75 }, 1, LATEST_SEEDING), 'ring');
  assert.equal((ring.match(/class="node"/g) ?? []).length, 32);
  assert.equal((ring.match(/class="edge"/g) ?? []).length, 64);
});
