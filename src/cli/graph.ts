import { Command, Option } from 'commander';
import { COMMANDS } from './commands.js';
import { GENERATORS, generateGraph } from '../graph/generators.js';
import { graphStats, type GraphStats } from '../graph/stats.js';
import { parseGraph, stringifyGraph } from '../graph/format.js';
import { drawGraph, drawingLayout } from '../graph/draw.js';
import { IMPORT_ORDERS, importGraph, type ImportOrder } from '../graph/import.js';
import { graphLayout, graphTitle } from '../graph/describe.js';
import { LAYOUTS, type Layout } from '../graph/dot.js';
import type { RandomGraph } from '../graph/types.js';
import { choiceFlag, flagOf, integerFlag, numberFlag, seedingFlag } from './flags.js';
import { LATEST_SEEDING, SEEDING_HELP, type Seeding } from '../core/rng.js';
import { readText, writeText } from '../io/files.js';

interface OutputOptions {
  out?: string;
  svg?: string;
  layout?: Layout;
  json?: boolean;
}

export function graphCommand(): Command {
  const cmd = new Command('graph').description(COMMANDS.graph.description);
  for (const [name, spec] of Object.entries(GENERATORS)) {
    const sub = cmd
      .command(name)
      .description(`${spec.title}: ${spec.description}${spec.networkx ? ` (NetworkX ${spec.networkx})` : ''}; nodes numbered ${spec.order}`)
      .option('--nodes <n>', 'number of nodes N', integerFlag, 32)
      .option('--seed <n>', 'random seed', integerFlag, 1)
      .option('--seeding <1|2>', SEEDING_HELP, seedingFlag, LATEST_SEEDING);
    for (const [key, p] of Object.entries(spec.params)) {
      sub.option(`${flagOf(key)} <value>`, `${p.description} (default ${p.default})`, numberFlag);
    }
    addOutputOptions(sub).action(async (opts: Record<string, unknown>) => {
      const params = Object.fromEntries(Object.keys(spec.params).map((k) => [k, opts[k] as number | undefined]));
      const graph = generateGraph(name, opts.nodes as number, params, opts.seed as number, opts.seeding as Seeding);
      await emit(graph, opts as OutputOptions);
    });
  }
  addOutputOptions(
    cmd
      .command('import')
      .description('read a graph made elsewhere (an edge list "u v" per line, or NetworkX node-link JSON) as a randwire graph')
      .argument('<file>', 'edge list or node-link JSON file')
      .addOption(
        new Option('--order <order>', 'node indices, which orient the DAG: given (file order), bfs, degree (highest first)')
          .argParser(choiceFlag(IMPORT_ORDERS))
          .default('given'),
      ),
  ).action(async (file: string, opts: OutputOptions & { order: ImportOrder }) => {
    await emit(importGraph(readText(file, 'graph file'), file, opts.order), opts);
  });
  addOutputOptions(
    cmd.command('show').description('validate a graph JSON file, print its statistics, optionally draw it').argument('<file>', 'graph JSON file'),
  ).action(async (file: string, opts: OutputOptions) => {
    const graph = parseGraph(readText(file, 'graph file'), file);
    await emit(graph, opts);
  });
  return cmd;
}

function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--out <file>', 'write the graph JSON here')
    .option('--svg <file>', 'write an SVG drawing here')
    .addOption(new Option('--layout <kind>', 'drawing layout: dag (layered) or ring (default: ring for ws, dag otherwise)').argParser(choiceFlag(LAYOUTS)))
    .option('--json', 'print the graph JSON (with a "stats" field) to stdout and nothing else');
}

async function emit(graph: RandomGraph, opts: OutputOptions): Promise<void> {
  const stats = graphStats(graph);
  if (opts.out) writeText(opts.out, stringifyGraph(graph) + '\n');
  const drawing = opts.svg ? drawingLayout(graph, opts.layout ?? graphLayout(graph)) : undefined;
  // The JSON and statistics come first: a graph too large to draw still gets them.
  if (drawing?.note) process.stderr.write(`randwire: ${opts.svg}: ${drawing.note}\n`);
  if (opts.svg && drawing?.layout) writeText(opts.svg, await drawGraph(graph, drawing.layout, graphTitle(graph)));
  if (opts.json) {
    process.stdout.write(stringifyGraph(graph, { stats }) + '\n');
    return;
  }
  process.stdout.write(formatStats(graph, stats));
  if (opts.out) process.stdout.write(`wrote ${opts.out}\n`);
  if (opts.svg && drawing?.layout) process.stdout.write(`wrote ${opts.svg}\n`);
}

function formatStats(graph: RandomGraph, s: GraphStats): string {
  const rows: Array<[string, string]> = [
    ['graph', graphTitle(graph)],
    ['nodes', String(s.nodes)],
    ['edges', String(s.edges)],
    ['mean degree', s.meanDegree.toFixed(3)],
    ['input / output nodes', `${s.inputs} / ${s.outputs}`],
    ['longest path (edges)', String(s.longestPath)],
    ['clustering coefficient', s.clustering.toFixed(4)],
    ['avg shortest path', `${s.averageShortestPath.toFixed(4)} (${s.components} component${s.components === 1 ? '' : 's'})`],
    [
      'degree histogram',
      s.degreeHistogram
        .map((c, d) => (c ? `${d}:${c}` : ''))
        .filter(Boolean)
        .join(' '),
    ],
    ['assortativity', s.assortativity === null ? 'undefined (all degrees equal)' : s.assortativity.toFixed(4)],
    ['input-output paths', s.log10InputOutputPaths < 15 ? String(Math.round(10 ** s.log10InputOutputPaths)) : `10^${s.log10InputOutputPaths.toFixed(2)}`],
    ['DAG in-degree', `mean ${s.meanInDegree.toFixed(3)}, max ${s.maxInDegree}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}
