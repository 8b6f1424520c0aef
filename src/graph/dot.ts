import type { Dag } from './types.js';
import { inputNodes, outputNodes } from './dag.js';

export type Layout = 'dag' | 'ring';

/** Optional colouring: a fill per node, and extra DOT attributes per edge (by index in dag.edges). */
export interface DotStyle {
  node?: (i: number) => string;
  edge?: (i: number) => string;
}
export const LAYOUTS: readonly Layout[] = ['dag', 'ring'];

/** The study's colours: input nodes blue, hidden green, output red. */
export const NODE_COLOURS = { input: '#4c78d8', hidden: '#4caf50', output: '#e0453a' } as const;

/** Each node's role in the stage: input (no predecessor), output (no successor) or hidden; drawings colour them by NODE_COLOURS. */
export function nodeRole(dag: Dag): Array<'input' | 'hidden' | 'output'> {
  const ins = new Set(inputNodes(dag));
  const outs = new Set(outputNodes(dag));
  // An isolated node is both; it reads the stage input, so it is drawn as an input.
  return Array.from({ length: dag.nodes }, (_, i) => (ins.has(i) ? 'input' : outs.has(i) ? 'output' : 'hidden'));
}

/**
 * Graphviz DOT text for a DAG. 'dag' is a layered top-to-bottom layout (Graphviz dot);
 * 'ring' pins the nodes clockwise on a circle (Graphviz neato with fixed positions), which shows
 * WS's lattice structure.
 */
export function toDot(dag: Dag, layout: Layout, title?: string, style?: DotStyle): string {
  const roles = nodeRole(dag);
  const lines: string[] = ['digraph G {'];
  lines.push('  bgcolor="white"; pad=0.2;');
  if (title) lines.push(`  label=${JSON.stringify(title)}; labelloc="t"; fontname="DejaVu Sans"; fontsize=16;`);
  if (layout === 'dag') lines.push('  rankdir=TB; nodesep=0.15; ranksep=0.45;');
  lines.push('  node [shape=circle, style=filled, fontname="DejaVu Sans", fontsize=9, fontcolor="white", width=0.32, fixedsize=true, penwidth=0];');
  lines.push(`  edge [color="#55555588", arrowsize=0.45, penwidth=0.7];`);
  const radius = Math.max(2, (dag.nodes * 0.5) / Math.PI);
  for (let i = 0; i < dag.nodes; i++) {
    let attrs = style?.node
      ? `label="${i}", fillcolor="${style.node(i)}", fontcolor="#222222", penwidth=0.6, color="#666666"`
      : `label="${i}", fillcolor="${NODE_COLOURS[roles[i]!]}"`;
    if (layout === 'ring') {
      // Clockwise from 12 o'clock, as WS numbers its nodes.
      const angle = Math.PI / 2 - (2 * Math.PI * i) / dag.nodes;
      attrs += `, pos="${(radius * Math.cos(angle)).toFixed(3)},${(radius * Math.sin(angle)).toFixed(3)}!"`;
    }
    lines.push(`  n${i} [${attrs}];`);
  }
  dag.edges.forEach(([a, b], i) => lines.push(`  n${a} -> n${b}${style?.edge ? ` [${style.edge(i)}]` : ''};`));
  lines.push('}');
  return lines.join('\n');
}
