import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/**
 * BA(M): start with M unconnected nodes; each new node joins M distinct existing nodes chosen
 * with probability proportional to degree (the first new node joins all M seeds). Seeds get
 * indices 0..M-1, the rest their order of addition. Same procedure as NetworkX's
 * barabasi_albert_graph, which Xie et al. used: sample from a list holding each node once per
 * unit of degree until M distinct nodes are drawn. Exactly M(N-M) edges.
 */
export function barabasiAlbert(nodes: number, params: { m: number }, rng: Rng): Dag {
  const m = params.m;
  const edges: Array<[number, number]> = [];
  const repeated: number[] = [];
  let targets = Array.from({ length: m }, (_, i) => i);
  for (let source = m; source < nodes; source++) {
    for (const t of targets) edges.push([t, source]);
    repeated.push(...targets);
    for (let i = 0; i < m; i++) repeated.push(source);
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(repeated[rng.int(repeated.length)]!);
    targets = [...chosen];
  }
  return orientByIndex(nodes, edges);
}
