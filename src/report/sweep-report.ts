import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeText } from '../io/files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { drawGraph, drawingLayout } from '../graph/draw.js';
import { graphLayout, graphTitle } from '../graph/describe.js';
import type { RandomGraph } from '../graph/types.js';
import { collectResults, type TrialResult } from '../sweep/collect.js';
import type { SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { renderSvg, svgToPng } from './charts.js';
import { toCsv } from './csv.js';
import { cellTable, cellsCsv, correlationTable, kilo, pct, significanceTable, trialsCsv } from './sweep-tables.js';
import { computeSpec, ecdfSpec, learningCurvesSpec, scatterSpec, stripSpec } from './sweep-figures.js';
import { MATCH_KINDS, matchCompute, type MatchKind } from './compute-match.js';
import { byCell, cellRows, correlationRows, pairRows, type CellRow, type CorrelationRow, type PairRow } from './sweep-stats.js';
import type { TopLevelSpec } from 'vega-lite';
import { damageTables, sweepDamage } from './sweep-damage.js';
import { plural } from '../core/format.js';
import { readSearchData } from './search-read.js';
import { writeSearchReport } from './search-report.js';
import { budgetState } from '../sweep/search-budget.js';
import { retrainResults, withoutRetrains } from '../sweep/retrain-results.js';
import { retrainMarkdown, writeRetrainTable } from './retrain-report.js';

export interface SweepReport {
  dir: string;
  files: string[];
  cells: CellRow[];
  pairs: PairRow[];
  correlations: CorrelationRow[];
}

/** The best, median and worst trial of a cell by test accuracy. */
function extremes(ts: TrialResult[]): Array<[string, TrialResult]> {
  const s = [...ts].sort((a, b) => b.testAccuracy - a.testAccuracy || a.id.localeCompare(b.id));
  return [
    ['best', s[0]!],
    ['median', s[Math.floor((s.length - 1) / 2)]!],
    ['worst', s[s.length - 1]!],
  ];
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9.=-]+/g, '_').replace(/^_|_$/g, '');

/**
 * Write a sweep's report from its store: tables (md/csv/json), significance between cells,
 * correlations with graph statistics, trials.csv, figures (SVG + PNG) and graph drawings.
 */
export async function writeSweepReport(
  sweepDir: string,
  plan: SweepPlan,
  store: SweepStore,
  matching?: { kind: MatchKind; tolerance: number },
  log: (line: string) => void = () => {},
): Promise<SweepReport> {
  const dir = join(sweepDir, matching ? `${SWEEP_FILES.report}-matched-${matching.kind}-${Math.round(matching.tolerance * 100)}` : SWEEP_FILES.report);
  rmSync(join(dir, 'graphs'), { recursive: true, force: true });
  const files: string[] = [];
  const out = (name: string, content: string | Uint8Array): void => {
    writeText(join(dir, name), content);
    files.push(join(dir, name));
  };
  const all = collectResults(plan, store);
  const matched = matching ? matchCompute(all, matching.kind, matching.tolerance) : undefined;
  const results = matched?.results ?? all;
  const cells = cellRows(results);
  const pairs = pairRows(results);
  // A retrain repeats its original's graphs: counted again it would weigh that graph twice.
  const distinctGraphs = withoutRetrains(results, store);
  const correlations = correlationRows(distinctGraphs);
  const title = `Sweep '${plan.spec.name}'`;
  const recipe = plan.recipe;
  const budget = budgetState(store, new Set(plan.trials.map((t) => t.id)));
  const untrained = budget?.notTrained.length ?? 0;
  const pending = [
    results.pending - untrained > 0 ? `${results.pending - untrained} not finished yet` : '',
    untrained ? `${untrained} not trained: budget spent` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const what = `${plural(results.trials.length, 'finished trial')}${pending ? ` (${pending})` : ''}; data ${plan.spec.data}; ${plural(recipe.epochs, 'epoch')}, batch ${recipe.batchSize}, ${recipe.optimizer} lr ${recipe.lr}, ${recipe.schedule}`;
  const m = matched?.match;
  const matchLine = m
    ? `Compute-matched: only trials whose ${MATCH_KINDS[m.kind].label} are within ${Math.round(m.tolerance * 100)} % of the median RandWire trial's (${kilo(m.reference)}); ${m.kept} kept, ${m.dropped} left out.`
    : '';
  const significant = pairs.filter((p) => p.welchPHolm !== null && p.welchPHolm < 0.05).length;
  const analysis = plan.spec.analysis;
  const damage = analysis?.damage
    ? damageTables(await sweepDamage(sweepDir, results, { what: analysis.damageWhat, testLimit: analysis.damageTestLimit, log }))
    : undefined;
  if (damage) out('damage.csv', damage.csv);
  // Retrains are all of the sweep's, compute-matched or not: they are few, and chosen on validation.
  const retrains = retrainResults(plan, store);
  if (retrains.length) files.push(...writeRetrainTable(sweepDir, retrains, dir));
  out(
    'table.md',
    [
      `# ${title}`,
      '',
      what,
      ...(budget ? ['', `Search ${budget.line}.`] : []),
      ...(matchLine ? ['', matchLine] : []),
      '',
      cellTable(cells),
      '',
      'Accuracy per graph is the mean over its training seeds; mean, std, CI and min/median/max are over graphs. "train-seed std": the spread between training seeds of the same graph.',
      '',
      '## Differences between cells',
      '',
      `${plural(pairs.length, 'pair')} of cells with >= 2 graphs each, compared on their graphs' accuracies; ${significant} differ at p < 0.05 after Holm's correction (Welch). The 20 smallest corrected p-values:`,
      '',
      significanceTable(pairs),
      '',
      '## Accuracy and graph statistics',
      '',
      'One point per RandWire graph, within each model size; p-values Holm-corrected over the statistics:',
      '',
      correlationTable(correlations),
      '',
      ...(damage ? [damage.markdown] : []),
      ...(retrains.length ? ['', retrainMarkdown(retrains), ''] : []),
    ].join('\n'),
  );
  out('table.csv', cellsCsv(cells));
  out('table.json', JSON.stringify({ title, recipe, cells, pairs, correlations, pending: results.pending }, null, 2) + '\n');
  out(
    'significance.csv',
    toCsv(pairs, ['a', 'b', 'meanDifference', 'welchT', 'welchDf', 'welchP', 'welchPHolm', 'mannWhitneyU', 'mannWhitneyP', 'mannWhitneyPHolm']),
  );
  out(
    'correlations.csv',
    toCsv(correlations, ['group', 'statistic', 'n', 'pearsonR', 'pearsonP', 'pearsonPHolm', 'spearmanRho', 'spearmanP', 'spearmanPHolm']),
  );
  out('trials.csv', trialsCsv(results));
  // Every sweep's anytime curve and Pareto front; halving's rungs and evolution's lineage where it has them.
  if (!matching) await writeSearchReport(readSearchData(plan, store), title, out);
  if (!results.trials.length) return { dir, files, cells, pairs, correlations };
  const figures: Array<[string, TopLevelSpec]> = [
    ['accuracy-by-cell', stripSpec(results, cells, `${title}: test accuracy per cell`)],
    ['accuracy-ecdf', ecdfSpec(distinctGraphs, `${title}: accuracy distribution per family`)],
    ['accuracy-vs-path-length', scatterSpec(distinctGraphs, 'averageShortestPath', `${title}: accuracy and path length`)],
    ['accuracy-vs-clustering', scatterSpec(distinctGraphs, 'clustering', `${title}: accuracy and clustering`)],
    ['accuracy-vs-multiply-adds', computeSpec(results, `${title}: accuracy and compute`)],
    ['learning-curves', learningCurvesSpec(results, `${title}: learning curves`)],
  ];
  for (const [name, spec] of figures) {
    const svg = await renderSvg(spec);
    out(`${name}.svg`, svg);
    out(`${name}.png`, svgToPng(svg));
  }
  for (const [cell, ts] of byCell(results)) {
    if (!ts.length || ts[0]!.model !== 'randwire') continue;
    for (const [which, t] of extremes(ts)) {
      const graph = (JSON.parse(store.trial(t.id)!.config) as { model: { graphs: RandomGraph[] } }).model.graphs[0]!;
      // A graph too large to draw has no figure (drawingLayout); the tables still hold it.
      const { layout } = drawingLayout(graph, graphLayout(graph));
      if (layout)
        out(
          join('graphs', `${slug(cell)}-${which}.svg`),
          await drawGraph(graph, layout, `${cell}, ${which} (${pct(t.testAccuracy)} %): stage 1, ${graphTitle(graph)}`),
        );
    }
  }
  return { dir, files, cells, pairs, correlations };
}
