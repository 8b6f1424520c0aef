import type { Rng } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';
import type { Dag } from '../graph/types.js';

/**
 * The mutations of evolution over stage graphs. Every one keeps the DAG form the project uses
 * (edges from a lower to a higher index, hence acyclic; in-degree 0 = input node, out-degree 0 =
 * output node, so every node lies on an input-to-output path), the node count, and at least one
 * edge.
 */
export const MUTATIONS = {
  'add-edge': 'join two nodes that are not joined (from the lower index to the higher)',
  'remove-edge': 'remove one edge (never the last)',
  'move-head': "move an edge's head to another node after its tail",
  'move-tail': "move an edge's tail to another node before its head",
} as const;

export type MutationKind = keyof typeof MUTATIONS;
export const MUTATION_KINDS = Object.keys(MUTATIONS) as MutationKind[];

export interface Mutation {
  kind: MutationKind;
  removed?: [number, number];
  added?: [number, number];
}

export interface Mutated {
  dag: Dag;
  mutation: Mutation;
}

const key = (a: number, b: number): number => a * 65536 + b;

/** Every possible application of one mutation kind, in a fixed order. */
function candidates(dag: Dag, kind: MutationKind, present: Set<number>): Mutation[] {
  const n = dag.nodes;
  const out: Mutation[] = [];
  if (kind === 'add-edge') {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (!present.has(key(a, b))) out.push({ kind, added: [a, b] });
  } else if (kind === 'remove-edge') {
    if (dag.edges.length >= 2) for (const [a, b] of dag.edges) out.push({ kind, removed: [a, b] });
  } else if (kind === 'move-head') {
    for (const [a, b] of dag.edges) {
      for (let c = a + 1; c < n; c++) if (c !== b && !present.has(key(a, c))) out.push({ kind, removed: [a, b], added: [a, c] });
    }
  } else {
    for (const [a, b] of dag.edges) {
      for (let c = 0; c < b; c++) if (c !== a && !present.has(key(c, b))) out.push({ kind, removed: [a, b], added: [c, b] });
    }
  }
  return out;
}

/**
 * One seeded mutation: a kind drawn uniformly among those that apply to this graph, then one of
 * its applications drawn uniformly. The same graph and RNG state give the same child.
 */
export function mutateDag(dag: Dag, rng: Rng, kinds: readonly MutationKind[] = MUTATION_KINDS): Mutated {
  if (dag.nodes > 65535) throw new RandwireError('search', `cannot mutate a graph of ${dag.nodes} nodes`);
  const present = new Set(dag.edges.map(([a, b]) => key(a, b)));
  const options = kinds.map((k) => candidates(dag, k, present)).filter((c) => c.length > 0);
  if (options.length === 0) {
    throw new RandwireError('search', `no mutation (${kinds.join(', ')}) applies to this graph (${dag.nodes} nodes, edges: ${dag.edges.length})`);
  }
  const pool = options[rng.int(options.length)]!;
  const mutation = pool[rng.int(pool.length)]!;
  return { dag: applyMutation(dag, mutation), mutation };
}

/** The graph with a mutation applied; edges stay sorted by (from, to). */
export function applyMutation(dag: Dag, m: Mutation): Dag {
  let edges = dag.edges.map(([a, b]) => [a, b] as [number, number]);
  if (m.removed) {
    const [ra, rb] = m.removed;
    edges = edges.filter(([a, b]) => a !== ra || b !== rb);
  }
  if (m.added) edges.push([m.added[0], m.added[1]]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { nodes: dag.nodes, edges };
}
