import { RandwireError } from '../core/errors.js';
import type { Dag } from './types.js';
import { plural } from '../core/format.js';

/** Predecessors of every node, in increasing order. */
export function predecessors(dag: Dag): number[][] {
  const preds = Array.from({ length: dag.nodes }, () => [] as number[]);
  for (const [a, b] of dag.edges) preds[b]!.push(a);
  for (const p of preds) p.sort((x, y) => x - y);
  return preds;
}

/** Successors of every node, in increasing order. */
export function successors(dag: Dag): number[][] {
  const succ = Array.from({ length: dag.nodes }, () => [] as number[]);
  for (const [a, b] of dag.edges) succ[a]!.push(b);
  for (const s of succ) s.sort((x, y) => x - y);
  return succ;
}

/** Nodes with in-degree 0 (they read the stage input). */
export function inputNodes(dag: Dag): number[] {
  const hasIn = new Array<boolean>(dag.nodes).fill(false);
  for (const [, b] of dag.edges) hasIn[b] = true;
  return hasIn.flatMap((h, i) => (h ? [] : [i]));
}

/** Nodes with out-degree 0 (their mean is the stage output). */
export function outputNodes(dag: Dag): number[] {
  const hasOut = new Array<boolean>(dag.nodes).fill(false);
  for (const [a] of dag.edges) hasOut[a] = true;
  return hasOut.flatMap((h, i) => (h ? [] : [i]));
}

/** Kahn's algorithm, smallest index first; a cycle is an error. */
export function topologicalOrder(dag: Dag): number[] {
  const indeg = new Array<number>(dag.nodes).fill(0);
  for (const [, b] of dag.edges) indeg[b]!++;
  const succ = successors(dag);
  const ready = indeg.flatMap((d, i) => (d === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((x, y) => y - x);
    const v = ready.pop()!;
    order.push(v);
    for (const w of succ[v]!) if (--indeg[w]! === 0) ready.push(w);
  }
  if (order.length !== dag.nodes) {
    throw new RandwireError('graph', `the graph has a cycle through ${plural(dag.nodes - order.length, 'node')}`);
  }
  return order;
}

/** Number of edges on the longest directed path (the network's depth in nodes, minus one). */
export function longestPath(dag: Dag): number {
  const depth = new Array<number>(dag.nodes).fill(0);
  const preds = predecessors(dag);
  for (const v of topologicalOrder(dag)) {
    for (const u of preds[v]!) depth[v] = Math.max(depth[v]!, depth[u]! + 1);
  }
  return depth.reduce((a, b) => Math.max(a, b), 0);
}
