import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { Dag } from './types.js';
import { toDot, type Layout } from './dot.js';

let graphviz: Promise<Graphviz> | undefined;

/** SVG drawing of a DAG (Graphviz compiled to wasm; runs in Node and in browsers). */
export async function drawGraph(dag: Dag, layout: Layout = 'dag', title?: string): Promise<string> {
  return renderDot(toDot(dag, layout, title), layout);
}

/** SVG of DOT text: neato for ring layouts (pinned positions), dot for layered ones. */
export async function renderDot(dot: string, layout: Layout): Promise<string> {
  graphviz ??= Graphviz.load();
  const gv = await graphviz;
  return layout === 'ring' ? gv.neato(dot, 'svg') : gv.dot(dot, 'svg');
}
