import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/**
 * ER(P): each of the N(N-1)/2 pairs is an edge independently with probability P. Xie et al.
 * give the nodes a random order before orienting edges, so the labels are shuffled too.
 */
export function erdosRenyi(nodes: number, params: { p: number }, rng: Rng): Dag {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < nodes; i++) {
    for (let j = i + 1; j < nodes; j++) {
      if (rng.float() < params.p) pairs.push([i, j]);
    }
  }
  const label = rng.shuffle(Array.from({ length: nodes }, (_, i) => i));
  return orientByIndex(
    nodes,
    pairs.map(([a, b]) => [label[a]!, label[b]!] as const),
  );
}
