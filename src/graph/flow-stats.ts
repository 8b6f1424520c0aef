import type { Dag } from './types.js';
import { inputNodes, outputNodes, predecessors } from './dag.js';

/**
 * Statistics of how information flows through a DAG (nodes are in topological order by index):
 * per-node depth (edges on the longest path from an input node), in-degrees, and the number of
 * input-to-output paths as log10 (it outgrows any integer: a complete DAG on N nodes has
 * 2^(N-2) of them).
 */
export function flowStats(dag: Dag): { depth: number[]; meanInDegree: number; maxInDegree: number; log10InputOutputPaths: number } {
  const preds = predecessors(dag);
  const depth = new Array<number>(dag.nodes).fill(0);
  // log10 of the number of paths from any input node to each node, summed in log space.
  const logPaths = new Array<number>(dag.nodes).fill(-Infinity);
  for (const v of inputNodes(dag)) logPaths[v] = 0;
  for (let v = 0; v < dag.nodes; v++) {
    for (const u of preds[v]!) {
      depth[v] = Math.max(depth[v]!, depth[u]! + 1);
      logPaths[v] = addLog10(logPaths[v]!, logPaths[u]!);
    }
  }
  const total = outputNodes(dag).reduce((acc, v) => addLog10(acc, logPaths[v]!), -Infinity);
  const inDegrees = preds.map((p) => p.length);
  return {
    depth,
    meanInDegree: dag.nodes ? dag.edges.length / dag.nodes : 0,
    maxInDegree: inDegrees.reduce((a, b) => Math.max(a, b), 0),
    log10InputOutputPaths: total,
  };
}

/** log10(10^a + 10^b) without leaving floating point range. */
function addLog10(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log10(1 + 10 ** (Math.min(a, b) - hi));
}

/**
 * Degree assortativity of the undirected graph (NetworkX's degree_assortativity_coefficient):
 * the Pearson correlation of the degrees at the two ends of an edge, each edge counted both
 * ways. Null when undefined (no edges, or every end has the same degree).
 */
export function degreeAssortativity(adj: Array<Set<number>>, edges: ReadonlyArray<readonly [number, number]>): number | null {
  if (edges.length === 0) return null;
  let sum = 0;
  let sumSq = 0;
  let cross = 0;
  for (const [a, b] of edges) {
    const j = adj[a]!.size;
    const k = adj[b]!.size;
    sum += j + k;
    sumSq += j * j + k * k;
    cross += 2 * j * k;
  }
  const m = 2 * edges.length;
  const mean = sum / m;
  const variance = sumSq / m - mean * mean;
  if (variance <= 1e-12) return null;
  return (cross / m - mean * mean) / variance;
}
