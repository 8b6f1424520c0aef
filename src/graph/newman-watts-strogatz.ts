import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/**
 * NWS(K,P), NetworkX's `newman_watts_strogatz_graph`: the WS ring lattice (each node joined to
 * its K/2 nearest neighbours on each side), then for each lattice edge (u, v), in NetworkX's
 * edge order, with probability P a shortcut from u to a node w drawn uniformly among those that
 * are not u and not yet joined to u (none when u is joined to all). Nothing is removed: at least
 * N*K/2 edges. Nodes are numbered clockwise, as for WS.
 */
export function newmanWattsStrogatz(nodes: number, params: { k: number; p: number }, rng: Rng): Dag {
  const adj = Array.from({ length: nodes }, () => new Set<number>());
  const join = (a: number, b: number): void => {
    adj[a]!.add(b);
    adj[b]!.add(a);
  };
  for (let j = 1; j <= params.k / 2; j++) for (let v = 0; v < nodes; v++) join(v, (v + j) % nodes);
  // NetworkX walks G.edges(): node by node, each neighbour added after it, in insertion order.
  const lattice: Array<[number, number]> = [];
  const seen = new Set<string>();
  for (let u = 0; u < nodes; u++) {
    for (const v of adj[u]!) {
      const key = u < v ? `${u},${v}` : `${v},${u}`;
      if (!seen.has(key)) {
        seen.add(key);
        lattice.push([u, v]);
      }
    }
  }
  for (const [u] of lattice) {
    if (!(rng.float() < params.p)) continue;
    if (adj[u]!.size >= nodes - 1) continue;
    let w = rng.int(nodes);
    while (w === u || adj[u]!.has(w)) w = rng.int(nodes);
    join(u, w);
  }
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < nodes; a++) for (const b of adj[a]!) if (a < b) pairs.push([a, b]);
  return orientByIndex(nodes, pairs);
}
