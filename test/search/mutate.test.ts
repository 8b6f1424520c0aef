import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, deriveSeed } from '../../src/core/rng.js';
import { generateGraph } from '../../src/graph/generators.js';
import { inputNodes, outputNodes, predecessors, successors, topologicalOrder } from '../../src/graph/dag.js';
import { MUTATION_KINDS, applyMutation, mutateDag, type MutationKind } from '../../src/search/mutate.js';
import type { Dag } from '../../src/graph/types.js';

/** Every node reaches an output node and is reached from an input node (true for any DAG; checked, not assumed). */
function everyNodeOnAnInputOutputPath(dag: Dag): boolean {
  const order = topologicalOrder(dag);
  const preds = predecessors(dag);
  const succ = successors(dag);
  const fromInput = new Array<boolean>(dag.nodes).fill(false);
  for (const v of inputNodes(dag)) fromInput[v] = true;
  for (const v of order) if (preds[v]!.some((u) => fromInput[u])) fromInput[v] = true;
  const toOutput = new Array<boolean>(dag.nodes).fill(false);
  for (const v of outputNodes(dag)) toOutput[v] = true;
  for (const v of [...order].reverse()) if (succ[v]!.some((w) => toOutput[w])) toOutput[v] = true;
  return fromInput.every(Boolean) && toOutput.every(Boolean);
}

function assertValid(parent: Dag, child: Dag, where: string): void {
  assert.equal(child.nodes, parent.nodes, `${where}: node count kept`);
  assert.ok(child.edges.length >= 1, `${where}: at least one edge`);
  const seen = new Set<string>();
  for (let i = 0; i < child.edges.length; i++) {
    const [a, b] = child.edges[i]!;
    assert.ok(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b < child.nodes && a < b, `${where}: edge ${a}->${b}`);
    assert.ok(!seen.has(`${a},${b}`), `${where}: duplicate ${a}->${b}`);
    seen.add(`${a},${b}`);
    if (i > 0) {
      const [pa, pb] = child.edges[i - 1]!;
      assert.ok(pa < a || (pa === a && pb < b), `${where}: edges sorted`);
    }
  }
  assert.equal(topologicalOrder(child).length, child.nodes, `${where}: acyclic`);
  assert.ok(everyNodeOnAnInputOutputPath(child), `${where}: every node on an input-to-output path`);
}

const starts: Array<[string, Record<string, number>, number]> = [
  ['ws', { k: 4, p: 0.75 }, 16],
  ['er', { p: 0.2 }, 12],
  ['ba', { m: 2 }, 10],
  ['chain', {}, 5],
  ['complete', {}, 6],
];

test('4,000 seeded mutation chains keep valid DAGs, node count, one edge at least; each mutation changes exactly what it says', () => {
  let count = 0;
  for (const [gen, params, nodes] of starts) {
    for (let chainSeed = 1; chainSeed <= 40; chainSeed++) {
      let dag: Dag = generateGraph(gen, nodes, params, deriveSeed(chainSeed, gen), 2);
      const rng = Rng.fromSeed(deriveSeed(chainSeed, `mutate/${gen}`), 2);
      for (let step = 0; step < 20; step++) {
        const { dag: child, mutation } = mutateDag(dag, rng);
        const where = `${gen} chain ${chainSeed} step ${step} (${mutation.kind})`;
        assertValid(dag, child, where);
        const before = new Set(dag.edges.map((e) => e.join(',')));
        const after = new Set(child.edges.map((e) => e.join(',')));
        const gone = [...before].filter((e) => !after.has(e));
        const added = [...after].filter((e) => !before.has(e));
        assert.deepEqual(gone, mutation.removed ? [mutation.removed.join(',')] : [], where);
        assert.deepEqual(added, mutation.added ? [mutation.added.join(',')] : [], where);
        if (mutation.kind === 'move-head') assert.equal(mutation.added![0], mutation.removed![0], where);
        if (mutation.kind === 'move-tail') assert.equal(mutation.added![1], mutation.removed![1], where);
        assert.deepEqual(applyMutation(dag, mutation), child);
        dag = child;
        count++;
      }
    }
  }
  assert.equal(count, 4000);
});

test('the same graph and seed give the same child; other seeds give others', () => {
  const g = generateGraph('ws', 16, { k: 4, p: 0.75 }, 7, 2);
  const a = mutateDag(g, Rng.fromSeed(3, 2));
  assert.deepEqual(mutateDag(g, Rng.fromSeed(3, 2)), a);
  const children = new Set(Array.from({ length: 20 }, (_, s) => JSON.stringify(mutateDag(g, Rng.fromSeed(100 + s, 2)).mutation)));
  assert.ok(children.size > 5, `20 seeds gave ${children.size} different mutations`);
});

test('kinds that cannot apply are skipped; none applicable is a one-line error', () => {
  const complete = generateGraph('complete', 5, {}, 1, 2);
  for (let s = 0; s < 50; s++) assert.notEqual(mutateDag(complete, Rng.fromSeed(s, 2)).mutation.kind, 'add-edge');
  const single: Dag = { nodes: 2, edges: [[0, 1]] };
  const only: MutationKind[] = ['remove-edge', 'move-head', 'move-tail'];
  assert.throws(
    () => mutateDag(single, Rng.fromSeed(1, 2), only),
    /^RandwireError: search: no mutation \(remove-edge, move-head, move-tail\) applies to this graph \(2 nodes, edges: 1\)$/m,
  );
  assert.deepEqual(MUTATION_KINDS, ['add-edge', 'remove-edge', 'move-head', 'move-tail']);
});
