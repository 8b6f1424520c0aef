import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeText } from '../io/files.js';
import { toDot, type Layout } from '../graph/dot.js';
import { drawingLayout, renderDot } from '../graph/draw.js';
import { graphLayout, graphTitle } from '../graph/describe.js';
import type { RandomGraph } from '../graph/types.js';
import type { DamageResult, EdgeDamage, NodeDamage } from '../experiment/damage.js';
import { renderSvg, svgToPng } from './charts.js';
import { toCsv, toMarkdown } from './csv.js';
import { describe } from '../analysis/index.js';
import { plural } from '../core/format.js';

/** The folder `randwire damage` writes into a run by default (and a sweep keeps per trial). */
export const DAMAGE_DIR = 'damage';

/** Files of a damage analysis, declared once. */
export const DAMAGE_FILES = {
  json: 'damage.json',
  csv: 'damage.csv',
  table: 'damage.md',
  predictors: 'damage-predictors',
  graph: (stage: number) => `damage-stage-${stage}.svg`,
} as const;

/** Grey for no damage, to red for the largest drop; blue where removing it helped. */
function colour(drop: number, scale: number): string {
  const t = Math.min(1, Math.abs(drop) / scale);
  const [r, g, b] =
    drop >= 0 ? [240 + (178 - 240) * t, 240 + (24 - 240) * t, 240 + (43 - 240) * t] : [240 + (33 - 240) * t, 240 + (102 - 240) * t, 240 + (172 - 240) * t];
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** A stage's graph with each node and edge coloured by the accuracy its removal cost. */
export function damageDot(
  graph: RandomGraph,
  stage: number,
  nodes: NodeDamage[],
  edges: EdgeDamage[],
  scale: number,
  layout: Layout = graphLayout(graph),
): string {
  const nodeDrop = new Map(nodes.filter((n) => n.stage === stage).map((n) => [n.node, n.drop]));
  const edgeDrop = new Map(edges.filter((e) => e.stage === stage).map((e) => [`${e.from}-${e.to}`, e.drop]));
  return toDot(graph, layout, `stage ${stage}: ${graphTitle(graph)}; colour: accuracy lost when removed (red: ${(scale * 100).toFixed(2)} points or more)`, {
    // Nodes never removed (a stage's only input or output) stay white.
    node: (i) => (nodeDrop.has(i) ? colour(nodeDrop.get(i)!, scale) : '#ffffff'),
    edge: (i) => {
      const [u, v] = graph.edges[i]!;
      const d = edgeDrop.get(`${u}-${v}`);
      return d === undefined ? '' : `color="${colour(d, scale)}", penwidth=${(0.6 + 3 * Math.min(1, Math.max(0, d) / scale)).toFixed(2)}`;
    },
  });
}

/** Drop against every candidate predictor, one panel each, with Spearman's rho in the panel title. */
export function predictorsSpec(r: DamageResult): TopLevelSpec {
  const values = [
    ...r.nodes.flatMap((n) => (['inDegree', 'outDegree', 'depth', 'betweenness'] as const).map((k) => ({ panel: `node ${k}`, x: n[k], drop: n.drop }))),
    ...r.edges.flatMap((e) =>
      (['weight', 'betweenness', 'skips'] as const).filter((k) => e[k] !== null).map((k) => ({ panel: `edge ${k}`, x: e[k], drop: e.drop })),
    ),
  ];
  const rhoOf = new Map(r.predictors.map((p) => [`${p.kind} ${p.predictor}`, p.rho]));
  const labelled = values.map((v) => ({ ...v, panel: `${v.panel} (rho ${rhoOf.get(v.panel)?.toFixed(2) ?? 'n/a'})` }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Accuracy lost by removing one node or edge, against candidate predictors',
      subtitle: `${r.run}; ${plural(r.testImages, 'test image')}; Spearman rho per panel`,
      fontSize: 15,
    },
    data: { values: labelled },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...rhoOf.keys()].map((k) => `${k} (rho ${rhoOf.get(k)?.toFixed(2) ?? 'n/a'})`) },
    columns: 4,
    spec: {
      width: 200,
      height: 150,
      mark: { type: 'point', filled: true, size: 26, opacity: 0.6 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: null, scale: { zero: false } },
        // symlog: most removals cost a little, a few a lot.
        y: { field: 'drop', type: 'quantitative', title: 'accuracy drop', scale: { type: 'symlog', constant: 0.001 }, axis: { format: '.1%' } },
      },
    },
    resolve: { scale: { x: 'independent' } },
    config: { font: 'DejaVu Sans', background: 'white' },
  } as TopLevelSpec;
}

const pts = (x: number | null): string => (x === null ? 'n/a' : (x * 100).toFixed(3));

/** damage.csv, damage.md, the figures and then damage.json, into `out`. */
export async function writeDamageReport(out: string, r: DamageResult, graphs: RandomGraph[]): Promise<void> {
  const rows = [
    ...r.nodes.map((n) => ({
      kind: 'node',
      stage: n.stage,
      node: n.node,
      from: '',
      to: '',
      role: n.role,
      in_degree: n.inDegree,
      out_degree: n.outDegree,
      depth: n.depth,
      weight: '',
      skips: '',
      betweenness: n.betweenness,
      accuracy: n.accuracy,
      drop: n.drop,
    })),
    ...r.edges.map((e) => ({
      kind: 'edge',
      stage: e.stage,
      node: '',
      from: e.from,
      to: e.to,
      role: '',
      in_degree: '',
      out_degree: '',
      depth: '',
      weight: e.weight ?? '',
      skips: e.skips,
      betweenness: e.betweenness,
      accuracy: e.accuracy,
      drop: e.drop,
    })),
  ];
  writeText(
    join(out, DAMAGE_FILES.csv),
    toCsv(rows, ['kind', 'stage', 'node', 'from', 'to', 'role', 'in_degree', 'out_degree', 'depth', 'weight', 'skips', 'betweenness', 'accuracy', 'drop']),
  );
  const stages = graphs.map((_, i) => i + 1);
  const perStage = stages.map((s) => {
    const n = r.nodes.filter((x) => x.stage === s).map((x) => x.drop);
    const e = r.edges.filter((x) => x.stage === s).map((x) => x.drop);
    const [dn, de] = [describe(n), describe(e)];
    return [`stage ${s}`, String(n.length), pts(dn.mean), pts(dn.max), String(e.length), pts(de.mean), pts(de.max)];
  });
  writeText(
    join(out, DAMAGE_FILES.table),
    [
      `# Graph damage: ${r.run}`,
      '',
      `Undamaged accuracy ${(r.accuracy * 100).toFixed(2)} % on ${plural(r.testImages, 'test image')}; ${plural(r.nodes.length, 'node')} and ${plural(r.edges.length, 'edge')} removed one at a time (${r.seconds.toFixed(0)} s).`,
      '',
      toMarkdown(
        ['', 'nodes', 'mean drop (points)', 'max drop', 'edges', 'mean drop (points)', 'max drop'],
        [...perStage, ['all', String(r.nodes.length), pts(r.meanDrop.node), '', String(r.edges.length), pts(r.meanDrop.edge), '']],
      ),
      '',
      toMarkdown(
        ['removed', 'predictor', 'n', 'Spearman rho', 'p'],
        r.predictors.map((p) => [p.kind, p.predictor, String(p.n), p.rho?.toFixed(3) ?? 'n/a', p.p === null ? 'n/a' : p.p.toExponential(2)]),
      ),
      '',
    ].join('\n'),
  );
  // One removal can cost far more than all others (a stage's key input node): colours saturate
  // at the 95th percentile of the drops, or nothing but that node would show.
  const drops = [...r.nodes.map((n) => n.drop), ...r.edges.map((e) => e.drop)].sort((a, b) => a - b);
  const scale = Math.max(1e-4, drops[Math.floor(0.95 * (drops.length - 1))] ?? 0);
  for (const s of stages) {
    // A stage too large to draw is left out (drawingLayout); its numbers are in the tables.
    const { layout } = drawingLayout(graphs[s - 1]!, graphLayout(graphs[s - 1]!));
    if (layout) writeText(join(out, DAMAGE_FILES.graph(s)), await renderDot(damageDot(graphs[s - 1]!, s, r.nodes, r.edges, scale, layout), layout));
  }
  if (r.predictors.length) {
    const svg = await renderSvg(predictorsSpec(r));
    writeText(join(out, `${DAMAGE_FILES.predictors}.svg`), svg);
    writeText(join(out, `${DAMAGE_FILES.predictors}.png`), svgToPng(svg));
  }
  // Last: a sweep reuses a trial's damage.json, so it must only exist once everything else does.
  writeText(join(out, DAMAGE_FILES.json), JSON.stringify(r, null, 2) + '\n');
}
