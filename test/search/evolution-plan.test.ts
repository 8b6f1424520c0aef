import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Rng } from '../../src/core/rng.js';
import { toGraphJson, validateGraph } from '../../src/graph/format.js';
import { planEvolution, type StoredChild } from '../../src/search/evolution-plan.js';
import { breed, describeMutation, selection, type EvolutionSettings, type TrialAdapter } from '../../src/search/evolution-breed.js';
import { MUTATION_KINDS, applyMutation } from '../../src/search/mutate.js';
import { parseSweepSpec, planSweep, type PlannedTrial } from '../../src/sweep/plan.js';
import { evolutionAdapter } from '../../src/sweep/evolution-setup.js';

// Real planned trials (RandWire, 3 stages of 8 nodes), planned without data.
const spec = {
  name: 'evo',
  data: 'mnist',
  nodes: 8,
  channels: 4,
  graphSeeds: 6,
  recipe: { epochs: 2 },
  cells: [
    { generator: 'er', grid: { p: [0.3] } },
    { generator: 'ws', grid: { k: [2], p: [0.5] } },
  ],
};
const plan = planSweep(parseSweepSpec(spec, 'evo', false), false);
const adapter = evolutionAdapter(7);
const settings: EvolutionSettings = {
  population: 6,
  sample: 3,
  window: 2,
  children: 14,
  mutations: MUTATION_KINDS,
  objective: 'accuracy',
  cost: 'flops',
  seed: 7,
  seeding: 1,
};
const initial = plan.trials.slice(0, 6);

/** A made-up validation accuracy fixed by the trial id; about one in nine trials fails (null). */
const unit = (text: string): number => parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;
const resultOf = (id: string): number | null => (unit(`fail ${id}`) < 0.11 ? null : 0.5 + 0.4 * unit(id));

interface Lineage {
  id: string;
  parent: string | null;
  detail: unknown;
}

/** The whole search run by `workers` simulated workers whose jobs end in an order drawn from `order`. */
function simulate(s: EvolutionSettings, workers: number, order: number): Lineage[] {
  const stored: Array<StoredChild<PlannedTrial>> = [];
  const results = new Map<string, number | null>();
  const running: string[] = [];
  const rng = Rng.fromSeed(order, 2);
  for (let round = 0; round < 1000; round++) {
    const step = planEvolution(initial.slice(0, s.population), stored, results, adapter, s);
    stored.push(...step.children.map((c) => ({ trial: c.trial, parentId: c.parentId, detail: c.detail })));
    for (const t of step.work) if (running.length < workers && !running.includes(t.id)) running.push(t.id);
    if (running.length === 0) {
      assert.ok(step.finished, 'nothing runs, yet the search is not finished');
      return stored.map((c) => ({ id: c.trial.id, parent: c.parentId, detail: c.detail }));
    }
    const [done] = running.splice(rng.int(running.length), 1);
    results.set(done!, resultOf(done!));
  }
  throw new Error('the simulated search did not finish in 1000 rounds');
}

test('the same results breed the same children whatever the number of workers and the order jobs end in', () => {
  const reference = simulate(settings, 1, 1);
  assert.equal(reference.length, 14);
  for (const [workers, order] of [
    [2, 1],
    [2, 2],
    [3, 3],
    [6, 4],
    [20, 5],
  ] as const) {
    assert.deepEqual(simulate(settings, workers, order), reference, `${workers} workers, order ${order}`);
  }
  // Another sweep seed breeds other children.
  assert.notDeepEqual(
    simulate({ ...settings, seed: 8 }, 1, 1).map((c) => c.id),
    reference.map((c) => c.id),
  );
});

test('a child is its parent with one mutation of one stage, trains under a seed of its own, and its graphs stay valid DAGs', () => {
  const all = new Map(plan.trials.map((t) => [t.id, t]));
  const stored: Array<StoredChild<PlannedTrial>> = [];
  const results = new Map(initial.map((t) => [t.id, resultOf(t.id)]));
  const s = { ...settings, window: 1, children: 1 };
  const [child] = planEvolution(initial, stored, results, adapter, s).children;
  const parent = all.get(child!.parentId)!;
  assert.ok(results.get(parent.id) !== null, 'a failed member never wins');
  const [m] = child!.detail.mutations;
  assert.deepEqual([child!.detail.birth, child!.detail.generation, child!.detail.mutations.length], [6, 1, 1]);
  const graphs = child!.trial.config.model.graphs!;
  graphs.forEach((g, i) => {
    const expected = i === m!.stage ? applyMutation(parent.config.model.graphs![i]!, m!) : parent.config.model.graphs![i]!;
    assert.deepEqual({ nodes: g.nodes, edges: g.edges }, { nodes: expected.nodes, edges: expected.edges }, `stage ${i}`);
    assert.deepEqual(validateGraph(toGraphJson(g), `stage ${i}`), g);
  });
  assert.notEqual(child!.trial.config.seed, parent.config.seed);
  assert.equal(child!.trial.cell.label, `evolved from ${parent.cell.label}`);
  assert.match(describeMutation(m!), new RegExp(`^${m!.kind} \\d+->\\d+( to \\d+->\\d+)? in stage ${m!.stage}$`));
});

test('window W: child b is bred once the members born before b - W + 1 have results, whatever the younger ones', () => {
  const s = { ...settings, population: 4, sample: 2, window: 3, children: 5 };
  const four = plan.trials.slice(0, 4);
  const births = (results: Map<string, number | null>): number[] => planEvolution(four, [], results, adapter, s).children.map((c) => c.detail.birth);
  const trained = (n: number): Map<string, number | null> => new Map(four.slice(0, n).map((t) => [t.id, 0.5 + 0.1 * unit(t.id)]));
  // Child 4 sees members 0..1 (born before 4 - 3 + 1 = 2); child 5 also member 2.
  assert.deepEqual(births(trained(1)), []);
  assert.deepEqual(births(trained(2)), [4]);
  assert.deepEqual(births(trained(3)), [4, 5]);
  // Child 6 needs member 3; child 7 needs child 4, which has no result yet.
  assert.deepEqual(births(trained(4)), [4, 5, 6]);
  // With W = 1 (Real et al.'s sequential algorithm) nothing is bred until all four have results.
  assert.deepEqual(planEvolution(four, [], trained(3), adapter, { ...s, window: 1 }).children, []);
  assert.deepEqual(
    planEvolution(four, [], trained(4), adapter, { ...s, window: 1 }).children.map((c) => c.detail.birth),
    [4],
  );
  // The work: members without a result, in birth order, the new children included.
  assert.deepEqual(
    planEvolution(four, [], trained(2), adapter, s)
      .work.map((t) => t.id)
      .slice(0, 2),
    [four[2]!.id, four[3]!.id],
  );
});

test('stored children that these results would not breed are refused in one line', () => {
  const results = new Map(initial.map((t) => [t.id, resultOf(t.id)]));
  const s = { ...settings, window: 1, children: 2 };
  const [child] = planEvolution(initial, [], results, adapter, s).children;
  const forged = { trial: child!.trial, parentId: initial.find((t) => t.id !== child!.parentId)!.id, detail: child!.detail };
  assert.throws(
    () => planEvolution(initial, [forged], results, adapter, s),
    /evolution rows do not fit this sweep's search \(child 6 is .* but these results breed/,
  );
  // Results changed after the child was bred: another member now wins.
  const changed = new Map([...results].map(([id, v]) => [id, id === child!.parentId ? null : v]));
  assert.throws(() => planEvolution(initial, [{ ...child!, parentId: child!.parentId }], changed, adapter, s), /evolution rows do not fit/);
  // The right child replayed: the next one is bred once it has its result.
  const again = planEvolution(initial, [{ ...child!, parentId: child!.parentId }], new Map([...results, [child!.trial.id, 0.9]]), adapter, s);
  assert.deepEqual(
    again.children.map((c) => c.detail.birth),
    [7],
  );
});

// Pareto selection against a hand-computed front: (accuracy, multiply-adds) per member.
interface Point {
  id: string;
  acc: number | null;
  cost: number;
}
const points: Point[] = [
  { id: 'a', acc: 0.9, cost: 100 },
  { id: 'b', acc: 0.8, cost: 50 },
  { id: 'c', acc: 0.85, cost: 120 },
  { id: 'd', acc: 0.7, cost: 40 },
  { id: 'e', acc: 0.6, cost: 60 },
  { id: 'f', acc: null, cost: 10 },
];
const pointAdapter: TrialAdapter<Point> = {
  id: (p) => p.id,
  graphs: () => [
    {
      generator: 'chain',
      params: {},
      seed: 1,
      nodes: 3,
      edges: [
        [0, 1],
        [1, 2],
      ],
    },
  ],
  graphsKey: (p) => p.id,
  cost: (p) => p.cost,
  child: (p, _graphs, birth) => ({ id: `${p.id}${birth}`, acc: null, cost: p.cost }),
};
const accuracy = new Map(points.flatMap((p) => (p.acc === null ? [] : [[p.id, p.acc] as const])));

test('pareto: by non-dominated rank, then crowding, then id; accuracy: by validation accuracy (hand-computed)', () => {
  const trained = points.filter((p) => p.acc !== null);
  const order = (objective: 'accuracy' | 'pareto'): string[] => {
    const better = selection(trained, accuracy, pointAdapter, { objective, cost: 'flops' });
    return trained
      .map((p) => ({ birth: 0, trialId: p.id }))
      .sort(better)
      .map((m) => m.trialId);
  };
  // Front 0: a, b, d (c is dominated by a; e by b and d). a and d are its extremes (crowding
  // Infinity, tie by id), b lies between them. Front 1: c and e, both extremes of their front.
  assert.deepEqual(order('pareto'), ['a', 'd', 'b', 'c', 'e']);
  assert.deepEqual(order('accuracy'), ['a', 'c', 'b', 'd', 'e']);
  // A tournament of the whole population: the front's first wins; f failed, and never wins though nothing is cheaper.
  const s = { ...settings, population: 6, sample: 6, children: 1, objective: 'pareto' as const };
  for (let birth = 6; birth < 30; birth++) assert.equal(breed(birth, points, () => 0, accuracy, new Set(), pointAdapter, s).parentId, 'a');
  // S = 2 among b, c, d, e, f only: rank decides, f never wins.
  const wins = new Set<string>();
  for (let birth = 6; birth < 200; birth++) wins.add(breed(birth, points.slice(1), () => 0, accuracy, new Set(), pointAdapter, { ...s, sample: 2 }).parentId);
  assert.deepEqual([...wins].sort(), ['b', 'c', 'd']);
  // A pool in which every member failed breeds nothing: one line.
  assert.throws(() => breed(6, [points[5]!], () => 0, accuracy, new Set(), pointAdapter, s), /child 6 cannot be bred: every member of its pool \(1\) failed/);
});

test('a mutation that repeats graphs already in the sweep is drawn again, and a bounded number of times only', () => {
  const s = { ...settings, population: 1, sample: 1, children: 1 };
  // Every child of this adapter is "known": the draws run out.
  assert.throws(() => breed(6, [points[0]!], () => 0, accuracy, new Set(['a6']), pointAdapter, s), /child 6 of a: 32 draws of a mutation gave no new graphs/);
});
