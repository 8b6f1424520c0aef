import type { Dag } from './types.js';
import { successors } from './dag.js';

export interface Betweenness {
  /** Per node: the fraction of shortest directed paths between other pairs that pass through it. */
  nodes: number[];
  /** Per edge of dag.edges, in that order: the fraction of shortest directed paths that use it. */
  edges: number[];
}

/**
 * Node and edge betweenness of the DAG (directed, unweighted), by Brandes' algorithm, normalised
 * as NetworkX's betweenness_centrality (1 / ((n-1)(n-2))) and edge_betweenness_centrality
 * (1 / (n(n-1))) for directed graphs.
 */
export function betweenness(dag: Dag): Betweenness {
  const n = dag.nodes;
  const succ = successors(dag);
  const edgeIndex = new Map(dag.edges.map(([u, v], i) => [u * n + v, i]));
  const nodeScore = new Array<number>(n).fill(0);
  const edgeScore = new Array<number>(dag.edges.length).fill(0);
  for (let s = 0; s < n; s++) {
    const order: number[] = [];
    const preds: number[][] = Array.from({ length: n }, () => []);
    const sigma = new Array<number>(n).fill(0);
    const dist = new Array<number>(n).fill(-1);
    sigma[s] = 1;
    dist[s] = 0;
    const queue = [s];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      order.push(v);
      for (const w of succ[v]!) {
        if (dist[w] === -1) {
          dist[w] = dist[v]! + 1;
          queue.push(w);
        }
        if (dist[w] === dist[v]! + 1) {
          sigma[w]! += sigma[v]!;
          preds[w]!.push(v);
        }
      }
    }
    const delta = new Array<number>(n).fill(0);
    for (let i = order.length - 1; i >= 0; i--) {
      const w = order[i]!;
      for (const v of preds[w]!) {
        const c = (sigma[v]! / sigma[w]!) * (1 + delta[w]!);
        edgeScore[edgeIndex.get(v * n + w)!]! += c;
        delta[v]! += c;
      }
      if (w !== s) nodeScore[w]! += delta[w]!;
    }
  }
  const nodeScale = n > 2 ? 1 / ((n - 1) * (n - 2)) : 1;
  const edgeScale = n > 1 ? 1 / (n * (n - 1)) : 1;
  return { nodes: nodeScore.map((x) => x * nodeScale), edges: edgeScore.map((x) => x * edgeScale) };
}
