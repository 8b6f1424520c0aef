import { drawGraph, graphLayout, graphStats, graphTitle, LAYOUTS, NODE_COLOURS, type Layout, type RandomGraph } from '../../src/browser.js';
import { h, num, plural } from './dom.js';

const LAYOUT_TEXT: Record<Layout, string> = { dag: 'layered', ring: 'ring' };

/** Legend of the node colours (input blue, hidden green, output red). */
export function legend(): HTMLElement {
  return h(
    'p',
    { class: 'legend' },
    (['input', 'hidden', 'output'] as const).map((r) => h('span', {}, h('i', { style: `background:${NODE_COLOURS[r]}` }), r)),
  );
}

/** Graphviz (wasm) draws the same SVG as `randwire graph --svg` (a dense graph on the ring); sizes are left to CSS. */
export async function drawInto(el: HTMLElement, graph: RandomGraph, layout: Layout, title?: string): Promise<void> {
  let svg: string;
  try {
    svg = await drawGraph(graph, layout, title);
  } catch (e) {
    // A graph too large to draw (LIMITS.drawEdges) says so in place of its drawing.
    el.textContent = (e as Error).message.replace(/^graph: /, '');
    return;
  }
  el.innerHTML = svg.slice(svg.indexOf('<svg'));
  const s = el.querySelector('svg');
  s?.removeAttribute('width');
  s?.removeAttribute('height');
}

/** A run's stage graphs, each drawn with a layout switch and its main statistics. */
export function stageGraphs(graphs: RandomGraph[]): HTMLElement {
  let layout: Layout | undefined;
  const boxes = graphs.map(() => h('div', { class: 'graph' }));
  const redraw = (): void => {
    graphs.forEach((g, i) => void drawInto(boxes[i]!, g, layout ?? graphLayout(g), `stage ${i + 1}: ${graphTitle(g)}`));
  };
  const picker = h(
    'select',
    { 'aria-label': 'layout', onchange: (e: Event) => ((layout = (e.target as HTMLSelectElement).value as Layout), redraw()) },
    LAYOUTS.map((l) => h('option', { value: l, selected: graphs[0] !== undefined && graphLayout(graphs[0]) === l }, LAYOUT_TEXT[l])),
  );
  redraw();
  return h(
    'div',
    {},
    h('div', { class: 'toolbar' }, h('label', {}, 'layout ', picker), legend()),
    h(
      'div',
      { class: 'graphs' },
      graphs.map((g, i) => {
        const s = graphStats(g);
        return h(
          'figure',
          {},
          boxes[i]!,
          h('figcaption', {}, `${plural(s.edges, 'edge')} · clustering ${num(s.clustering)} · path ${num(s.averageShortestPath)} · depth ${s.longestPath}`),
        );
      }),
    ),
  );
}
