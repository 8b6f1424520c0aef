import { join } from 'node:path';
import { GENERATORS, generateGraph } from '../graph/generators.js';
import { stringifyGraph } from '../graph/format.js';
import { drawGraph } from '../graph/draw.js';
import { graphLayout, graphTitle } from '../graph/describe.js';
import { STUDY_GRAPH_FIGURES } from './study-graphs.js';
import { writeText } from '../io/files.js';
import type { Seeding } from '../core/rng.js';

export interface FigureFile {
  name: string;
  svg: string;
  json: string;
  edges: number;
}

/**
 * Write the study's six graph figures (SVG, plus the graph JSON they were drawn from): layered
 * for ER and BA, and the ring layout for WS, where rewiring shows best.
 */
export async function writeGraphFigures(outDir: string, seed: number, seeding: Seeding, nodes = 32): Promise<FigureFile[]> {
  const written: FigureFile[] = [];
  for (const fig of STUDY_GRAPH_FIGURES) {
    const graph = generateGraph(fig.generator, nodes, { ...fig.params }, seed, seeding);
    const svg = join(outDir, `${fig.file}.svg`);
    const json = join(outDir, `${fig.file}.json`);
    writeText(svg, await drawGraph(graph, graphLayout(graph), graphTitle(graph)));
    writeText(json, stringifyGraph(graph) + '\n');
    written.push({ name: fig.file, svg, json, edges: graph.edges.length });
  }
  return written;
}

/**
 * One figure per generator family of the registry, with its default parameters (N = 32):
 * `<family>.svg` and `<family>.json`.
 */
export async function writeFamilyFigures(outDir: string, seed: number, seeding: Seeding, nodes = 32): Promise<FigureFile[]> {
  const written: FigureFile[] = [];
  for (const name of Object.keys(GENERATORS)) {
    const graph = generateGraph(name, nodes, {}, seed, seeding);
    const svg = join(outDir, `${name}.svg`);
    const json = join(outDir, `${name}.json`);
    writeText(svg, await drawGraph(graph, graphLayout(graph), graphTitle(graph)));
    writeText(json, stringifyGraph(graph) + '\n');
    written.push({ name, svg, json, edges: graph.edges.length });
  }
  return written;
}
