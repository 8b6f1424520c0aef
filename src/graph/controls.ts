import type { Dag } from './types.js';

/** The path 0 -> 1 -> ... -> N-1: the deepest, narrowest wiring (a control). */
export function chain(nodes: number): Dag {
  return { nodes, edges: Array.from({ length: nodes - 1 }, (_, i) => [i, i + 1] as [number, number]) };
}

/** Every pair i < j: the densest wiring (a control). */
export function complete(nodes: number): Dag {
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < nodes; i++) for (let j = i + 1; j < nodes; j++) edges.push([i, j]);
  return { nodes, edges };
}

/** The ring 0 - 1 - ... - N-1 - 0 (a control): as a DAG, a chain plus the edge 0 -> N-1. */
export function cycle(nodes: number): Dag {
  const edges: Array<[number, number]> = [[0, nodes - 1], ...Array.from({ length: nodes - 1 }, (_, i) => [i, i + 1] as [number, number])];
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { nodes, edges: nodes === 2 ? [[0, 1]] : edges };
}
