import { existsSync, readdirSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { writeText } from '../io/files.js';
import { RUN_FILES, readSummary } from '../experiment/run-files.js';
import { readJsonLines } from '../io/json.js';
import { RUNS_DIR } from '../io/run-layout.js';
import { STUDY_MODELS } from '../experiment/study.js';
import { writeGraphFigures } from '../experiment/graph-figures.js';
import type { EpochMetrics } from '../train/state.js';
import { studyColumns, tableCsv, tableMarkdown, type ResultRow } from './table.js';
import { curvesSpec, renderSvg, svgToPng, type Curve } from './charts.js';
import type { Seeding } from '../core/rng.js';

function readMetrics(dir: string): EpochMetrics[] {
  const p = join(dir, RUN_FILES.metrics);
  if (!existsSync(p)) return [];
  return readJsonLines<EpochMetrics>(p, 'metrics');
}

/** Run folders of a results directory, in the study's table order (others after). */
function runIds(resultsDir: string): string[] {
  const dir = join(resultsDir, RUNS_DIR);
  if (!existsSync(dir)) throw new RandwireError('report', `${resultsDir} has no ${RUNS_DIR}/ folder (run randwire reproduce first)`);
  const present = readdirSync(dir).filter((d) => existsSync(join(dir, d, RUN_FILES.config)));
  const order: string[] = STUDY_MODELS.map((m) => m.id);
  return present.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

export interface ReportFiles {
  rows: ResultRow[];
  unfinished: string[];
  files: string[];
}

/** (Re)write table.md|csv|json, the training-curve figures and the graph figures of a results folder. */
export async function writeReport(resultsDir: string, title: string, seeding: Seeding): Promise<ReportFiles> {
  const rows: ResultRow[] = [];
  const unfinished: string[] = [];
  const curves: Record<'randwire' | 'classic', Curve[]> = { randwire: [], classic: [] };
  const files: string[] = [];
  for (const id of runIds(resultsDir)) {
    const dir = join(resultsDir, RUNS_DIR, id);
    const s = readSummary(dir);
    const { label, studyAccuracy, studyLoss } = studyColumns(id);
    const metrics = readMetrics(dir);
    if (metrics.length) curves[id.startsWith('randwire') ? 'randwire' : 'classic'].push({ label, metrics });
    if (!s) {
      unfinished.push(id);
      continue;
    }
    rows.push({
      id,
      label,
      testAccuracy: s.testAccuracy,
      testLoss: s.testLoss,
      testImages: s.testImages,
      validationAccuracy: s.validationAccuracy,
      params: s.params,
      flops: s.flops,
      epochs: s.epochs,
      seconds: s.seconds,
      studyAccuracy,
      studyLoss,
    });
    const graphs = join(dir, RUN_FILES.graphs);
    if (existsSync(graphs)) {
      mkdirSync(join(resultsDir, 'graphs'), { recursive: true });
      for (const f of readdirSync(graphs)) {
        copyFileSync(join(graphs, f), join(resultsDir, 'graphs', `${id}-${f}`));
        files.push(join(resultsDir, 'graphs', `${id}-${f}`));
      }
    }
  }
  const out = (name: string, content: string | Uint8Array): void => {
    writeText(join(resultsDir, name), content);
    files.push(join(resultsDir, name));
  };
  out('table.md', tableMarkdown(rows, title));
  out('table.csv', tableCsv(rows));
  out('table.json', JSON.stringify({ title, rows, unfinished }, null, 2) + '\n');
  for (const [group, list] of Object.entries(curves)) {
    if (!list.length) continue;
    const svg = await renderSvg(curvesSpec(list, group === 'randwire' ? 'Training curves: RandWire on MNIST' : 'Training curves: classic CNNs on MNIST'));
    out(`curves-${group}.svg`, svg);
    out(`curves-${group}.png`, svgToPng(svg));
  }
  for (const f of await writeGraphFigures(join(resultsDir, 'figures'), 1, seeding)) files.push(f.svg);
  return { rows, unfinished, files };
}
