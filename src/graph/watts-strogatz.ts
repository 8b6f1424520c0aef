import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/**
 * WS(K,P): a ring of N nodes, each joined to its K/2 nearest neighbours on each side; then for
 * i = 1..K/2, clockwise over every node v, the edge from v to its i-th clockwise neighbour is
 * rewired with probability P to a node chosen uniformly among those that are not v and not
 * already joined to v. Nodes are numbered clockwise. No self loops or duplicates: exactly
 * N*K/2 edges.
 */
export function wattsStrogatz(nodes: number, params: { k: number; p: number }, rng: Rng): Dag {
  const half = params.k / 2;
  const adj = Array.from({ length: nodes }, () => new Set<number>());
  const join = (a: number, b: number): void => {
    adj[a]!.add(b);
    adj[b]!.add(a);
  };
  for (let i = 1; i <= half; i++) {
    for (let v = 0; v < nodes; v++) join(v, (v + i) % nodes);
  }
  for (let i = 1; i <= half; i++) {
    for (let v = 0; v < nodes; v++) {
      const u = (v + i) % nodes;
      if (!(rng.float() < params.p)) continue;
      // The lattice edge may already have been rewired away from the other end's pass.
      if (!adj[v]!.has(u)) continue;
      const candidates: number[] = [];
      for (let w = 0; w < nodes; w++) if (w !== v && !adj[v]!.has(w)) candidates.push(w);
      if (candidates.length === 0) continue;
      const w = candidates[rng.int(candidates.length)]!;
      adj[v]!.delete(u);
      adj[u]!.delete(v);
      join(v, w);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < nodes; a++) for (const b of adj[a]!) if (a < b) pairs.push([a, b]);
  return orientByIndex(nodes, pairs);
}
