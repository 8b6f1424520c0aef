import {
  LATEST_SEEDING,
  GENERATORS,
  generateGraph,
  type ParamSpec,
  graphLayout,
  graphStats,
  graphTitle,
  LAYOUTS,
  stringifyGraph,
  type GeneratorName,
  type Layout,
  type RandomGraph,
} from '../../../src/browser.js';
import { errorBox, facts, h, num } from '../dom.js';
import { flagOf } from '../../../src/core/parse.js';
import { drawInto, legend } from '../graph-view.js';

const NAMES = Object.keys(GENERATORS) as GeneratorName[];
const STEP = { probability: '0.05', integer: '1', positive: '0.05' } as const;

/** The CLI line that makes the same graph: the page and `randwire graph` share the generator code. */
function cliLine(g: RandomGraph): string {
  return `randwire graph ${g.generator} --nodes ${g.nodes} --seed ${g.seed}${Object.entries(g.params)
    .map(([k, v]) => ` ${flagOf(k)} ${v}`)
    .join('')}`;
}

function statsFacts(g: RandomGraph): HTMLElement {
  const s = graphStats(g);
  return facts([
    ['edges', s.edges],
    ['mean degree', num(s.meanDegree)],
    ['input / output nodes', `${s.inputs} / ${s.outputs}`],
    ['longest path (edges)', s.longestPath],
    ['clustering coefficient', num(s.clustering, 4)],
    ['average shortest path', `${num(s.averageShortestPath, 4)} (${s.components} component${s.components === 1 ? '' : 's'})`],
    ['assortativity', num(s.assortativity, 4)],
    ['log10 input-output paths', num(s.log10InputOutputPaths, 3)],
    ['DAG in-degree', `mean ${num(s.meanInDegree)}, max ${s.maxInDegree}`],
    [
      'degree histogram',
      s.degreeHistogram
        .map((c, d) => (c ? `${d}:${c}` : ''))
        .filter(Boolean)
        .join(' '),
    ],
  ]);
}

/**
 * Choose a family, its parameters and a seed; the graph is generated, measured and drawn in the
 * page by the library's own code (no server). The settings live in the URL, so a view can be shared.
 */
export async function explorerView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const initial = params.get('generator');
  let generator: GeneratorName = initial && (NAMES as string[]).includes(initial) ? (initial as GeneratorName) : 'ws';
  const state = { nodes: Number(params.get('nodes') ?? 32), seed: Number(params.get('seed') ?? 1) };
  let layout: Layout | 'auto' = (params.get('layout') as Layout | null) ?? 'auto';
  const values: Record<string, number> = {};
  for (const [k, v] of params) if (!['generator', 'nodes', 'seed', 'layout'].includes(k)) values[k] = Number(v);

  const controls = h('form', { class: 'controls', onsubmit: (e: Event) => e.preventDefault() });
  const drawing = h('div', { class: 'graph large', id: 'explorer-graph' });
  const out = h('div');
  const json = h('pre', { class: 'config', id: 'graph-json' });
  const cli = h('code', { id: 'cli-line' });

  const update = (): void => {
    const spec = GENERATORS[generator];
    const own = Object.fromEntries(Object.keys(spec.params).map((k) => [k, values[k]]));
    const q = new URLSearchParams({ generator, nodes: String(state.nodes), seed: String(state.seed), ...(layout === 'auto' ? {} : { layout }) });
    for (const [k, v] of Object.entries(own)) if (v !== undefined && Number.isFinite(v)) q.set(k, String(v));
    history.replaceState(null, '', `#/graphs?${q}`);
    let g: RandomGraph;
    try {
      // Seeded as `randwire graph` seeds by default, so the command line below makes this graph.
      g = generateGraph(generator, state.nodes, own, state.seed, LATEST_SEEDING);
    } catch (e) {
      out.replaceChildren(errorBox((e as Error).message));
      drawing.replaceChildren();
      json.textContent = '';
      cli.textContent = '';
      return;
    }
    out.replaceChildren(statsFacts(g));
    cli.textContent = cliLine(g);
    json.textContent = stringifyGraph(g);
    drawing.dataset.edges = String(g.edges.length);
    void drawInto(drawing, g, layout === 'auto' ? graphLayout(g) : layout, graphTitle(g));
  };

  const number = (label: string, value: number, step: string, min: string | undefined, set: (v: number) => void, title?: string): HTMLElement =>
    h(
      'label',
      { title },
      label,
      h('input', {
        type: 'number',
        value: Number.isFinite(value) ? value : '',
        step,
        min,
        name: label,
        oninput: (e: Event) => {
          set((e.target as HTMLInputElement).valueAsNumber);
          update();
        },
      }),
    );

  const buildControls = (): void => {
    const spec = GENERATORS[generator];
    for (const [k, p] of Object.entries(spec.params)) values[k] ??= p.default;
    controls.replaceChildren(
      h(
        'label',
        {},
        'family',
        h(
          'select',
          {
            name: 'generator',
            onchange: (e: Event) => {
              generator = (e.target as HTMLSelectElement).value as GeneratorName;
              buildControls();
              update();
            },
          },
          NAMES.map((n) => h('option', { value: n, selected: n === generator }, GENERATORS[n].title)),
        ),
      ),
      number('nodes', state.nodes, '1', '2', (v) => (state.nodes = v)),
      number('seed', state.seed, '1', undefined, (v) => (state.seed = v)),
      ...Object.entries(spec.params).map(([k, p]: [string, ParamSpec]) =>
        number(k, values[k]!, STEP[p.kind], p.kind === 'integer' ? String(p.min ?? 0) : '0', (v) => (values[k] = v), p.description),
      ),
      h(
        'label',
        {},
        'layout',
        h(
          'select',
          {
            name: 'layout',
            onchange: (e: Event) => {
              layout = (e.target as HTMLSelectElement).value as Layout | 'auto';
              update();
            },
          },
          ['auto', ...LAYOUTS].map((l) =>
            h('option', { value: l, selected: l === layout }, l === 'auto' ? 'family default' : l === 'dag' ? 'layered' : 'ring'),
          ),
        ),
      ),
      h('p', { class: 'muted' }, spec.description, spec.networkx ? ` (NetworkX ${spec.networkx})` : ''),
    );
  };
  buildControls();
  root.append(
    h('h1', {}, 'Graph explorer'),
    h('div', { class: 'explorer' }, h('div', {}, controls, out, h('p', {}, 'Same graph from the command line: ', cli)), h('div', {}, legend(), drawing)),
    h('details', {}, h('summary', {}, 'graph JSON (as randwire graph --out writes it)'), json),
  );
  update();
}
