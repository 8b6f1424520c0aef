import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/** One attempt of NetworkX's pairing: undefined when the leftover stubs cannot be paired. */
function tryPairing(nodes: number, d: number, rng: Rng): Set<string> | undefined {
  const edges = new Set<string>();
  let stubs = Array.from({ length: nodes * d }, (_, i) => i % nodes);
  while (stubs.length) {
    const potential = new Map<number, number>();
    stubs = rng.shuffle(stubs);
    for (let i = 0; i + 1 < stubs.length; i += 2) {
      const a = Math.min(stubs[i]!, stubs[i + 1]!);
      const b = Math.max(stubs[i]!, stubs[i + 1]!);
      if (a !== b && !edges.has(`${a},${b}`)) {
        edges.add(`${a},${b}`);
      } else {
        potential.set(a, (potential.get(a) ?? 0) + 1);
        potential.set(b, (potential.get(b) ?? 0) + 1);
      }
    }
    // NetworkX's _suitable: some pair of leftover nodes must still be joinable.
    const left = [...potential.keys()];
    const joinable = left.length === 0 || left.some((x, i) => left.slice(0, i).some((y) => !edges.has(`${Math.min(x, y)},${Math.max(x, y)}`)));
    if (!joinable) return undefined;
    stubs = left.flatMap((v) => Array<number>(potential.get(v)!).fill(v));
  }
  return edges;
}

/**
 * RR(D), NetworkX's `random_regular_graph(d, n)`: every node has degree exactly D (N*D even,
 * D < N), built by NetworkX's algorithm (Steger and Wormald): shuffle N*D stubs, pair them,
 * keep the pairs that are new edges and not loops, repeat with the leftover stubs; start over
 * when they cannot be paired. The graph is vertex-transitive in law, so the node order is the
 * generator's own (any order is equally random).
 */
export function randomRegular(nodes: number, params: { d: number }, rng: Rng): Dag {
  let edges = tryPairing(nodes, params.d, rng);
  while (!edges) edges = tryPairing(nodes, params.d, rng);
  return orientByIndex(
    nodes,
    [...edges].map((e) => e.split(',').map(Number) as [number, number]),
  );
}
