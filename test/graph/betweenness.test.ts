import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betweenness } from '../../src/graph/betweenness.js';

// Expected values from NetworkX 3.6.1 on the same DAGs:
//   G = nx.DiGraph(); G.add_nodes_from(range(n)); G.add_edges_from(edges)
//   nx.betweenness_centrality(G), nx.edge_betweenness_centrality(G)   (normalized=True)
const CASES = [
  {
    what: 'WS(4, 0.75), N=8, seed 3 (randwire graph ws --nodes 8 --seed 3)',
    nodes: 8,
    edges: [
      [0, 1],
      [0, 4],
      [0, 5],
      [0, 7],
      [1, 2],
      [1, 3],
      [1, 4],
      [1, 6],
      [2, 5],
      [2, 6],
      [2, 7],
      [3, 4],
      [3, 6],
      [3, 7],
      [4, 7],
      [5, 7],
    ],
    node: [0.0, 0.071428571429, 0.031746031746, 0.007936507937, 0.007936507937, 0.0, 0.0, 0.0],
    edge: [
      0.071428571429, 0.017857142857, 0.017857142857, 0.017857142857, 0.059523809524, 0.041666666667, 0.02380952381, 0.035714285714, 0.035714285714,
      0.017857142857, 0.02380952381, 0.017857142857, 0.017857142857, 0.02380952381, 0.02380952381, 0.017857142857,
    ],
  },
  {
    what: 'ER(0.3), N=12, seed 7 (randwire graph er --nodes 12 --seed 7 --p 0.3)',
    nodes: 12,
    edges: [
      [0, 5],
      [0, 6],
      [1, 3],
      [1, 6],
      [1, 8],
      [1, 9],
      [2, 5],
      [3, 5],
      [3, 6],
      [3, 7],
      [3, 10],
      [4, 5],
      [4, 7],
      [4, 9],
      [4, 11],
      [5, 8],
      [5, 10],
      [6, 9],
      [8, 10],
      [8, 11],
      [9, 11],
    ],
    node: [0.0, 0.0, 0.0, 0.022727272727, 0.0, 0.081818181818, 0.027272727273, 0.0, 0.036363636364, 0.022727272727, 0.0, 0.0],
    edge: [
      0.026515151515, 0.018939393939, 0.026515151515, 0.007575757576, 0.015151515152, 0.011363636364, 0.030303030303, 0.026515151515, 0.018939393939,
      0.015151515152, 0.011363636364, 0.022727272727, 0.007575757576, 0.007575757576, 0.007575757576, 0.060606060606, 0.030303030303, 0.037878787879,
      0.011363636364, 0.034090909091, 0.026515151515,
    ],
  },
];

test('node and edge betweenness equal NetworkX (directed, normalised)', () => {
  for (const c of CASES) {
    const b = betweenness({ nodes: c.nodes, edges: c.edges as Array<[number, number]> });
    b.nodes.forEach((x, i) => assert.ok(Math.abs(x - c.node[i]!) < 1e-11, `${c.what}: node ${i}: ${x} vs ${c.node[i]}`));
    b.edges.forEach((x, i) => assert.ok(Math.abs(x - c.edge[i]!) < 1e-11, `${c.what}: edge ${c.edges[i]}: ${x} vs ${c.edge[i]}`));
  }
});
