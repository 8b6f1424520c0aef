import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/**
 * RGG(radius), NetworkX's `random_geometric_graph(n, radius)` (dim 2, Euclidean): N points drawn
 * uniformly in the unit square, joined when their distance is at most the radius. Nodes are
 * numbered along the x coordinate, so the DAG flows left to right across the square (ties, of
 * probability zero, by the order drawn).
 */
export function randomGeometric(nodes: number, params: { radius: number }, rng: Rng): Dag {
  const points = Array.from({ length: nodes }, () => [rng.float(), rng.float()] as const);
  const order = points.map((_, i) => i).sort((a, b) => points[a]![0] - points[b]![0] || a - b);
  const label = new Array<number>(nodes);
  order.forEach((v, i) => (label[v] = i));
  const r2 = params.radius * params.radius;
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < nodes; a++) {
    for (let b = a + 1; b < nodes; b++) {
      const dx = points[a]![0] - points[b]![0];
      const dy = points[a]![1] - points[b]![1];
      if (dx * dx + dy * dy <= r2) pairs.push([label[a]!, label[b]!]);
    }
  }
  return orientByIndex(nodes, pairs);
}
