import type { Dag } from './types.js';

/**
 * Orient an undirected edge list from lower to higher index (Xie et al.'s DAG rule), dropping
 * nothing, and sort it so that equal graphs serialise identically.
 */
export function orientByIndex(nodes: number, undirected: Iterable<readonly [number, number]>): Dag {
  const edges: Array<[number, number]> = [];
  for (const [a, b] of undirected) edges.push(a < b ? [a, b] : [b, a]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { nodes, edges };
}

/** Adjacency sets of the undirected graph underlying a DAG. */
export function neighbourSets(dag: Dag): Array<Set<number>> {
  const adj = Array.from({ length: dag.nodes }, () => new Set<number>());
  for (const [a, b] of dag.edges) {
    adj[a]!.add(b);
    adj[b]!.add(a);
  }
  return adj;
}
