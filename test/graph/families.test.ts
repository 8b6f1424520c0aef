import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateGraph, GENERATORS } from '../../src/graph/generators.js';
import { graphStats } from '../../src/graph/stats.js';
import { neighbourSets } from '../../src/graph/undirected.js';
import { blockSizes } from '../../src/graph/planted-partition.js';
import { RandwireError } from '../../src/core/errors.js';
import { LATEST_SEEDING, deriveSeed } from '../../src/core/rng.js';
import { NETWORKX, NETWORKX_SAMPLES } from './networkx-reference.js';

const S = LATEST_SEEDING;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/**
 * Graph seeds spread by deriveSeed: these statistics are about the generators. Raw consecutive
 * seeds 1, 2, 3... (what users type) are tested in raw-seeds.test.ts: seeding 1 biased them.
 */
const seeds = (n: number) => Array.from({ length: n }, (_, i) => deriveSeed(i + 1, 'graph-statistics'));

test('rr: every node has degree exactly D', () => {
  for (const [n, d] of [
    [32, 4],
    [33, 4],
    [10, 3],
    [20, 19],
  ] as const) {
    for (const seed of seeds(20)) {
      const adj = neighbourSets(generateGraph('rr', n, { d }, seed, S));
      assert.ok(
        adj.every((s) => s.size === d),
        `n=${n} d=${d} seed ${seed}`,
      );
    }
  }
});

test('nws keeps the whole ring lattice and only adds edges', () => {
  for (const seed of seeds(30)) {
    const g = generateGraph('nws', 32, { k: 4, p: 0.5 }, seed, S);
    assert.ok(g.edges.length >= (32 * 4) / 2);
    const adj = neighbourSets(g);
    for (let v = 0; v < 32; v++) for (const j of [1, 2]) assert.ok(adj[v]!.has((v + j) % 32), `lattice edge ${v}-${(v + j) % 32}`);
  }
  assert.equal(generateGraph('nws', 32, { k: 4, p: 0 }, 1, S).edges.length, 64);
});

test("pc with P = 0 has BA's edge count M(N-M); cycle is the ring", () => {
  for (const seed of seeds(20)) assert.equal(generateGraph('pc', 40, { m: 3, p: 0 }, seed, S).edges.length, 3 * 37);
  const ring = generateGraph('cycle', 6, {}, 1, S);
  assert.deepEqual(ring.edges, [
    [0, 1],
    [0, 5],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
  ]);
});

test('sbm numbers nodes block by block, with nearly equal blocks', () => {
  assert.deepEqual(blockSizes(10, 3), [4, 3, 3]);
  // P_out = 0: no edge leaves a block.
  const g = generateGraph('sbm', 10, { blocks: 3, pIn: 1, pOut: 0 }, 1, S);
  const blockOf = (v: number) => (v < 4 ? 0 : v < 7 ? 1 : 2);
  assert.ok(g.edges.every(([a, b]) => blockOf(a) === blockOf(b)));
  assert.equal(g.edges.length, 6 + 3 + 3);
});

test('rgg numbers nodes along x: the same seed gives the same edges, byte for byte', () => {
  assert.deepEqual(generateGraph('rgg', 32, { radius: 0.3 }, 7, S), generateGraph('rgg', 32, { radius: 0.3 }, 7, S));
  assert.equal(generateGraph('rgg', 10, { radius: 1.5 }, 1, S).edges.length, 45);
});

// Mean edge counts over 400 seeds against their closed forms (by hand): NWS N*K/2 (1 + P) (no
// node can run out of partners at N=32); SBM P_in * sum C(s,2) + P_out * sum_{i<j} s_i s_j; RGG
// C(N,2) (pi r^2 - 8/3 r^3 + r^4 / 2), the chance that two uniform points of the unit square lie
// within r <= 1. Tolerance: 4 standard errors.
test('mean edge counts match their closed forms', () => {
  const sizes = blockSizes(32, 4);
  const within = sizes.reduce((a, s) => a + (s * (s - 1)) / 2, 0);
  const across = (32 * 31) / 2 - within;
  const r = 0.3;
  const cases: Array<[string, Record<string, number>, number]> = [
    ['nws', { k: 4, p: 0.5 }, 64 * 1.5],
    ['sbm', { blocks: 4, pIn: 0.5, pOut: 0.05 }, 0.5 * within + 0.05 * across],
    ['rgg', { radius: r }, ((32 * 31) / 2) * (Math.PI * r * r - (8 / 3) * r ** 3 + r ** 4 / 2)],
  ];
  for (const [name, params, expected] of cases) {
    const edges = seeds(400).map((s) => generateGraph(name, 32, params, s, S).edges.length);
    const m = mean(edges);
    const se = Math.sqrt(mean(edges.map((e) => (e - m) ** 2)) / edges.length);
    assert.ok(Math.abs(m - expected) < 4 * se + 1e-9, `${name}: mean ${m.toFixed(2)}, closed form ${expected.toFixed(2)}, se ${se.toFixed(2)}`);
  }
});

test('edges, clustering and average shortest path match NetworkX over many seeds', () => {
  const n = 500;
  for (const [name, ref] of Object.entries(NETWORKX)) {
    const stats = seeds(n).map((s) => graphStats(generateGraph(name, 32, ref.params, s, S)));
    for (const [metric, [nxMean, nxSd]] of [
      ['edges', ref.edges],
      ['clustering', ref.clustering],
      ['asp', ref.asp],
    ] as const) {
      const ours = mean(stats.map((s) => (metric === 'edges' ? s.edges : metric === 'clustering' ? s.clustering : s.averageShortestPath)));
      const tolerance = 4 * Math.sqrt((nxSd * nxSd) / n + (nxSd * nxSd) / NETWORKX_SAMPLES) + 1e-9;
      assert.ok(Math.abs(ours - nxMean) <= tolerance, `${name} ${metric}: ours ${ours.toFixed(4)}, NetworkX ${nxMean} (tolerance ${tolerance.toFixed(4)})`);
    }
  }
});

test('bad parameters of the new families are one-line errors', () => {
  const cases: Array<[string, number, Record<string, number>, RegExp]> = [
    ['nws', 32, { k: 3, p: 0.5 }, /k must be even/],
    ['nws', 32, { k: 4, p: 1.5 }, /p must be a probability/],
    ['rr', 31, { d: 3 }, /d times nodes \(31\) must be even/],
    ['rr', 8, { d: 8 }, /d must be smaller than nodes/],
    ['pc', 32, { m: 3, p: -0.1 }, /p must be a probability/],
    ['rgg', 32, { radius: 0 }, /radius must be > 0/],
    ['sbm', 4, { blocks: 5, pIn: 0.5, pOut: 0.1 }, /blocks must be at most nodes/],
  ];
  for (const [name, nodes, params, message] of cases) {
    assert.throws(
      () => generateGraph(name, nodes, params, 1, S),
      (e: unknown) => e instanceof RandwireError && message.test(e.message),
      name,
    );
  }
  assert.ok(Object.keys(GENERATORS).length >= 11);
});

test("CPython's set.pop() order, as NetworkX's powerlaw_cluster_graph sees it", async () => {
  const { pythonSetPopOrder } = await import('../../src/graph/python-set-order.js');
  // Printed by python3 (CPython 3.11): s = set(); [s.add(v) for v in xs]; [s.pop() for _ in xs].
  assert.deepEqual(pythonSetPopOrder([13, 5, 21, 29, 2]), [2, 5, 13, 21, 29]);
  assert.deepEqual(pythonSetPopOrder([3, 11, 19]), [11, 19, 3]);
  assert.deepEqual(pythonSetPopOrder([40, 8, 16, 0, 24, 33]), [0, 33, 40, 8, 16, 24]);
});
