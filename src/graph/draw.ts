import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { RandwireError } from '../core/errors.js';
import { LIMITS, formatCount } from '../core/limits.js';
import type { Dag } from './types.js';
import { toDot, type Layout } from './dot.js';

let graphviz: Promise<Graphviz> | undefined;

/**
 * The layout a graph of this size is drawn with, and a line saying why when it is not the one
 * asked for: dot's layered layout stalls or runs out of memory on dense graphs, so larger graphs
 * go on the ring (positions pinned, no layout search); past `drawEdges` nothing is drawn.
 */
export function drawingLayout(dag: Dag, wanted: Layout): { layout: Layout | null; note?: string } {
  const edges = dag.edges.length;
  if (edges > LIMITS.drawEdges) {
    return { layout: null, note: `${formatCount(edges)} edges, more than the ${formatCount(LIMITS.drawEdges)} drawn; no SVG drawing` };
  }
  if (wanted === 'dag' && edges > LIMITS.drawLayeredEdges) {
    return { layout: 'ring', note: `${formatCount(edges)} edges, more than the ${formatCount(LIMITS.drawLayeredEdges)} of a layered drawing; drawn on a ring` };
  }
  return { layout: wanted };
}

/**
 * SVG drawing of a DAG (Graphviz compiled to wasm; runs in Node and in browsers) in the layout
 * drawingLayout picks; a graph too large to draw is a RandwireError.
 */
export async function drawGraph(dag: Dag, layout: Layout = 'dag', title?: string): Promise<string> {
  const chosen = drawingLayout(dag, layout);
  if (chosen.layout === null) throw new RandwireError('graph', chosen.note!);
  return renderDot(toDot(dag, chosen.layout, title), chosen.layout);
}

/** SVG of DOT text: neato for ring layouts (pinned positions), dot for layered ones. */
export async function renderDot(dot: string, layout: Layout): Promise<string> {
  graphviz ??= Graphviz.load();
  const gv = await graphviz;
  return layout === 'ring' ? gv.neato(dot, 'svg') : gv.dot(dot, 'svg');
}
