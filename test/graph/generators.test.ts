import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENERATORS, generateGraph } from '../../src/graph/generators.js';
import { topologicalOrder } from '../../src/graph/dag.js';
import { RandwireError } from '../../src/core/errors.js';
import type { RandomGraph } from '../../src/graph/types.js';
import { LATEST_SEEDING } from '../../src/core/rng.js';

const S = LATEST_SEEDING;

const cases: Array<[string, Record<string, number>]> = [
  ['er', { p: 0.2 }],
  ['ba', { m: 5 }],
  ['ws', { k: 4, p: 0.75 }],
  ['chain', {}],
  ['complete', {}],
  ['nws', { k: 4, p: 0.5 }],
  ['rr', { d: 4 }],
  ['pc', { m: 3, p: 0.5 }],
  ['rgg', { radius: 0.3 }],
  ['sbm', { blocks: 4, pIn: 0.5, pOut: 0.05 }],
  ['cycle', {}],
];

function assertSimpleDag(g: RandomGraph): void {
  const keys = new Set<string>();
  for (const [a, b] of g.edges) {
    assert.ok(a >= 0 && b < g.nodes, `edge ${a}->${b} in range`);
    assert.ok(a < b, `edge ${a}->${b} points from lower to higher index`);
    const k = `${a},${b}`;
    assert.ok(!keys.has(k), `duplicate edge ${k}`);
    keys.add(k);
  }
  assert.equal(topologicalOrder(g).length, g.nodes);
}

test('every registered generator is covered by these tests', () => {
  assert.deepEqual(cases.map(([n]) => n).sort(), Object.keys(GENERATORS).sort());
});

for (const [name, params] of cases) {
  test(`${name}: same seed gives the same graph, and it is a simple DAG`, () => {
    for (const seed of [1, 2, 3, 99]) {
      const a = generateGraph(name, 32, params, seed, S);
      const b = generateGraph(name, 32, params, seed, S);
      assert.deepEqual(a, b);
      assertSimpleDag(a);
    }
  });
}

for (const [name, params] of cases.slice(0, 3)) {
  test(`${name}: different seeds give different graphs`, () => {
    const a = generateGraph(name, 32, params, 1, S);
    const b = generateGraph(name, 32, params, 2, S);
    assert.notDeepEqual(a.edges, b.edges);
  });
}

test('ws has exactly N*K/2 edges for any P', () => {
  for (const [n, k] of [
    [32, 4],
    [16, 6],
    [10, 2],
    [7, 6],
  ] as const) {
    for (const p of [0, 0.1, 0.5, 0.75, 1]) {
      for (let seed = 0; seed < 20; seed++) {
        const g = generateGraph('ws', n, { k, p }, seed, S);
        assert.equal(g.edges.length, (n * k) / 2, `WS(${k},${p}) N=${n} seed ${seed}`);
        assertSimpleDag(g);
      }
    }
  }
});

test('ws with P=0 is the ring lattice', () => {
  const n = 12;
  const k = 4;
  const g = generateGraph('ws', n, { k, p: 0 }, 5, S);
  const expected: Array<[number, number]> = [];
  for (let v = 0; v < n; v++)
    for (let i = 1; i <= k / 2; i++) {
      const u = (v + i) % n;
      expected.push(v < u ? [v, u] : [u, v]);
    }
  expected.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  assert.deepEqual(g.edges, expected);
});

test('ba has exactly M(N-M) edges and its first node joins all seeds', () => {
  for (const [n, m] of [
    [32, 5],
    [32, 4],
    [32, 2],
    [10, 1],
    [8, 7],
  ] as const) {
    for (let seed = 0; seed < 20; seed++) {
      const g = generateGraph('ba', n, { m }, seed, S);
      assert.equal(g.edges.length, m * (n - m));
      assertSimpleDag(g);
      const intoM = g.edges.filter(([, b]) => b === m).map(([a]) => a);
      assert.deepEqual(
        intoM,
        Array.from({ length: m }, (_, i) => i),
        'node M joins nodes 0..M-1',
      );
      // Every added node has exactly M edges to earlier nodes.
      for (let v = m; v < n; v++) assert.equal(g.edges.filter(([, b]) => b === v).length, m);
      // The seeds are not joined to each other.
      assert.ok(g.edges.every(([a, b]) => !(a < m && b < m)));
    }
  }
});

test('ba favours high-degree nodes (preferential attachment)', () => {
  // Over many graphs, seed node 0 (present from the start) must gather far more edges than the
  // last-but-few added nodes; a uniform attachment would not show such a spread.
  let early = 0;
  let late = 0;
  for (let seed = 0; seed < 200; seed++) {
    const g = generateGraph('ba', 40, { m: 2 }, seed, S);
    for (const [a, b] of g.edges) {
      if (a === 2 || b === 2) early++;
      if (a === 30 || b === 30) late++;
    }
  }
  assert.ok(early > 2 * late, `early ${early} vs late ${late}`);
});

test("er's mean edge count over 500 seeds is within 3 standard errors of P*N(N-1)/2", () => {
  for (const [n, p] of [
    [32, 0.2],
    [32, 0.15],
    [20, 0.5],
  ] as const) {
    const counts: number[] = [];
    for (let seed = 0; seed < 500; seed++) counts.push(generateGraph('er', n, { p }, seed, S).edges.length);
    const pairs = (n * (n - 1)) / 2;
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const se = Math.sqrt(pairs * p * (1 - p)) / Math.sqrt(counts.length);
    assert.ok(Math.abs(mean - pairs * p) < 3 * se, `ER(${p}) N=${n}: mean ${mean}, expected ${pairs * p} +/- ${3 * se}`);
  }
});

test('er with P=0 and P=1 gives the empty and complete graphs', () => {
  assert.equal(generateGraph('er', 12, { p: 0 }, 3, S).edges.length, 0);
  assert.deepEqual(generateGraph('er', 12, { p: 1 }, 3, S).edges, generateGraph('complete', 12, {}, 3, S).edges);
});

test('chain and complete', () => {
  assert.deepEqual(generateGraph('chain', 4, {}, 1, S).edges, [
    [0, 1],
    [1, 2],
    [2, 3],
  ]);
  assert.equal(generateGraph('complete', 32, {}, 1, S).edges.length, (32 * 31) / 2);
});

const invalid: Array<[string, number, Record<string, number>, RegExp]> = [
  ['er', 32, { p: -0.1 }, /p must be a probability in \[0, 1\]/],
  ['er', 32, { p: 1.5 }, /p must be a probability in \[0, 1\]/],
  ['er', 32, { p: Number.NaN }, /p must be a number/],
  ['ws', 32, { k: 3, p: 0.5 }, /k must be even/],
  ['ws', 32, { k: 32, p: 0.5 }, /k must be smaller than nodes \(32\)/],
  ['ws', 32, { k: 40, p: 0.5 }, /k must be smaller than nodes/],
  ['ws', 32, { k: 0, p: 0.5 }, /k must be >= 2/],
  ['ws', 32, { k: 4.5, p: 0.5 }, /k must be an integer/],
  ['ws', 32, { k: 4, p: 2 }, /p must be a probability/],
  ['ba', 32, { m: 32 }, /m must be smaller than nodes \(32\)/],
  ['ba', 32, { m: 0 }, /m must be >= 1/],
  ['ba', 32, { m: 2.5 }, /m must be an integer/],
  ['ba', 1, { m: 1 }, /nodes must be an integer >= 2/],
  ['chain', 1, {}, /nodes must be an integer >= 2/],
  ['complete', 3.5, {}, /nodes must be an integer >= 2/],
  ['er', 32, { q: 0.1 }, /generator 'er' has no parameter 'q'/],
  ['nope', 32, {}, /unknown generator 'nope'/],
];
for (const [name, n, params, message] of invalid) {
  test(`invalid: ${name} N=${n} ${JSON.stringify(params)}`, () => {
    assert.throws(
      () => generateGraph(name, n, params, 1, S),
      (e: unknown) => e instanceof RandwireError && message.test(e.message),
    );
  });
}
