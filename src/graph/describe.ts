import { GENERATORS, isGeneratorName } from './generators.js';
import type { Layout } from './dot.js';
import type { RandomGraph } from './types.js';

/** The drawing layout of a graph's family (a ring for WS); imported graphs are drawn in layers. */
export function graphLayout(graph: RandomGraph): Layout {
  return isGeneratorName(graph.generator) ? GENERATORS[graph.generator].layout : 'dag';
}

/** A graph's one-line title: `WS(4, 0.75), N=32, seed 1`. */
export function graphTitle(graph: RandomGraph): string {
  const ps = Object.values(graph.params);
  return `${graph.generator.toUpperCase()}${ps.length ? `(${ps.join(', ')})` : ''}, N=${graph.nodes}, seed ${graph.seed}`;
}
