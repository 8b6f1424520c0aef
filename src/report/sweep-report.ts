import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeText } from '../io/files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { drawGraph, drawingLayout } from '../graph/draw.js';
import { graphLayout, graphTitle } from '../graph/describe.js';
import type { RandomGraph } from '../graph/types.js';
import { collectResults, GRAPH_STAT_KEYS, type SweepResults, type TrialResult } from '../sweep/collect.js';
import type { SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { renderSvg, svgToPng } from './charts.js';
import { toCsv, toMarkdown } from './csv.js';
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

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)}`);
const p3 = (v: number | null): string => (v === null ? '-' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));
const r3 = (v: number | null): string => (v === null ? '-' : v.toFixed(3));
const kilo = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);

function cellTable(rows: CellRow[]): string {
  const head = ['cell', 'graphs', 'trials', 'test acc. % mean +/- std', '95 % CI', 'min / median / max', 'train-seed std', 'test loss mean +/- std', 'params', 'mult-adds', 'time / trial'];
  const body = rows.map((r) => [
    r.reference ? `${r.cell} (reference)` : r.cell + (r.outOfBudget ? ' (out of budget)' : ''), String(r.accuracy.n), String(r.trials),
    `${pct(r.accuracy.mean)} +/- ${pct(r.accuracy.std)}`, r.accuracy.ci95 ? `${pct(r.accuracy.ci95[0])}-${pct(r.accuracy.ci95[1])}` : '-',
    `${pct(r.accuracy.min)} / ${pct(r.accuracy.median)} / ${pct(r.accuracy.max)}`, pct(r.trainSeedStd), `${r.loss.mean?.toFixed(4) ?? '-'} +/- ${r.loss.std?.toFixed(4) ?? '-'}`,
    kilo(r.params), kilo(r.multiplyAdds), `${r.meanSeconds.toFixed(0)} s`,
  ]);
  return toMarkdown(head, body);
}

function significanceTable(pairs: PairRow[]): string {
  const shown = [...pairs].sort((x, y) => (x.welchPHolm ?? 2) - (y.welchPHolm ?? 2)).slice(0, 20);
  const head = ['cell A', 'cell B', 'A - B (points)', 'Welch t', 'p', 'p (Holm)', 'Mann-Whitney U', 'p', 'p (Holm)'];
  return toMarkdown(head, shown.map((p) => [p.a, p.b, (p.meanDifference * 100).toFixed(2), r3(p.welchT), p3(p.welchP), p3(p.welchPHolm), p.mannWhitneyU?.toFixed(1) ?? '-', p3(p.mannWhitneyP), p3(p.mannWhitneyPHolm)]), (i) => i > 1);
}

function correlationTable(rows: CorrelationRow[]): string {
  const head = ['model size', 'graph statistic (mean over stages)', 'graphs', 'Pearson r', 'p (Holm)', 'Spearman rho', 'p (Holm)'];
  return toMarkdown(head, rows.map((r) => [r.group, r.statistic, String(r.n), r3(r.pearsonR), p3(r.pearsonPHolm), r3(r.spearmanRho), p3(r.spearmanPHolm)]), (i) => i > 1);
}

function trialsCsv(results: SweepResults): string {
  const rows = results.trials.map((t) => ({
    id: t.id, cell: t.cell, family: t.family, model: t.model, params: t.params, nodes: t.nodes, channels: t.channels, graph_seed: t.graphSeed,
    train_seed: t.trainSeed, seed: t.seed, test_accuracy: t.testAccuracy, test_loss: t.testLoss, val_accuracy: t.valAccuracy, val_loss: t.valLoss,
    model_params: t.modelParams, multiply_adds: t.multiplyAdds, epochs: t.epochs, seconds: t.seconds, attempts: t.attempts,
    graph_hashes: t.graphHashes, same_graphs_as: t.sameGraphsAs, out_of_budget: t.outOfBudget,
    ...Object.fromEntries(GRAPH_STAT_KEYS.map((k) => [k, t.graph[k]])),
  }));
  return toCsv(rows, Object.keys(rows[0] ?? { id: '' }) as Array<keyof (typeof rows)[number] & string>);
}

/** The best, median and worst trial of a cell by test accuracy. */
function extremes(ts: TrialResult[]): Array<[string, TrialResult]> {
  const s = [...ts].sort((a, b) => b.testAccuracy - a.testAccuracy || a.id.localeCompare(b.id));
  return [['best', s[0]!], ['median', s[Math.floor((s.length - 1) / 2)]!], ['worst', s[s.length - 1]!]];
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9.=-]+/g, '_').replace(/^_|_$/g, '');

/**
 * Write a sweep's report from its store: tables (md/csv/json), significance between cells,
 * correlations with graph statistics, trials.csv, figures (SVG + PNG) and graph drawings.
 */
export async function writeSweepReport(sweepDir: string, plan: SweepPlan, store: SweepStore, matching?: { kind: MatchKind; tolerance: number }, log: (line: string) => void = () => {}): Promise<SweepReport> {
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
  const pending = [results.pending - untrained > 0 ? `${results.pending - untrained} not finished yet` : '', untrained ? `${untrained} not trained: budget spent` : ''].filter(Boolean).join('; ');
  const what = `${plural(results.trials.length, 'finished trial')}${pending ? ` (${pending})` : ''}; data ${plan.spec.data}; ${plural(recipe.epochs, 'epoch')}, batch ${recipe.batchSize}, ${recipe.optimizer} lr ${recipe.lr}, ${recipe.schedule}`;
  const m = matched?.match;
  const matchLine = m ? `Compute-matched: only trials whose ${MATCH_KINDS[m.kind].label} are within ${Math.round(m.tolerance * 100)} % of the median RandWire trial's (${kilo(m.reference)}); ${m.kept} kept, ${m.dropped} left out.` : '';
  const significant = pairs.filter((p) => p.welchPHolm !== null && p.welchPHolm < 0.05).length;
  const analysis = plan.spec.analysis;
  const damage = analysis?.damage ? damageTables(await sweepDamage(sweepDir, results, { what: analysis.damageWhat, testLimit: analysis.damageTestLimit, log })) : undefined;
  if (damage) out('damage.csv', damage.csv);
  // Retrains are all of the sweep's, compute-matched or not: they are few, and chosen on validation.
  const retrains = retrainResults(plan, store);
  if (retrains.length) files.push(...writeRetrainTable(sweepDir, retrains, dir));
  out('table.md', [
    `# ${title}`, '', what, ...(budget ? ['', `Search ${budget.line}.`] : []), ...(matchLine ? ['', matchLine] : []), '', cellTable(cells), '',
    'Accuracy per graph is the mean over its training seeds; mean, std, CI and min/median/max are over graphs. "train-seed std": the spread between training seeds of the same graph.', '',
    '## Differences between cells', '', `${plural(pairs.length, 'pair')} of cells with >= 2 graphs each, compared on their graphs' accuracies; ${significant} differ at p < 0.05 after Holm's correction (Welch). The 20 smallest corrected p-values:`, '', significanceTable(pairs), '',
    '## Accuracy and graph statistics', '', 'One point per RandWire graph, within each model size; p-values Holm-corrected over the statistics:', '', correlationTable(correlations), '',
    ...(damage ? [damage.markdown] : []),
    ...(retrains.length ? ['', retrainMarkdown(retrains), ''] : []),
  ].join('\n'));
  out('table.csv', toCsv(cells.map((r) => ({ cell: r.cell, family: r.family, reference: r.reference, graphs: r.accuracy.n, trials: r.trials, train_seed_std: r.trainSeedStd, accuracy_mean: r.accuracy.mean, accuracy_std: r.accuracy.std, accuracy_ci95_low: r.accuracy.ci95?.[0] ?? null, accuracy_ci95_high: r.accuracy.ci95?.[1] ?? null, accuracy_min: r.accuracy.min, accuracy_median: r.accuracy.median, accuracy_max: r.accuracy.max, loss_mean: r.loss.mean, loss_std: r.loss.std, loss_min: r.loss.min, loss_median: r.loss.median, loss_max: r.loss.max, params: r.params, multiply_adds: r.multiplyAdds, seconds_mean: r.meanSeconds, out_of_budget: r.outOfBudget })),
    ['cell', 'family', 'reference', 'graphs', 'trials', 'train_seed_std', 'accuracy_mean', 'accuracy_std', 'accuracy_ci95_low', 'accuracy_ci95_high', 'accuracy_min', 'accuracy_median', 'accuracy_max', 'loss_mean', 'loss_std', 'loss_min', 'loss_median', 'loss_max', 'params', 'multiply_adds', 'seconds_mean', 'out_of_budget']));
  out('table.json', JSON.stringify({ title, recipe, cells, pairs, correlations, pending: results.pending }, null, 2) + '\n');
  out('significance.csv', toCsv(pairs, ['a', 'b', 'meanDifference', 'welchT', 'welchDf', 'welchP', 'welchPHolm', 'mannWhitneyU', 'mannWhitneyP', 'mannWhitneyPHolm']));
  out('correlations.csv', toCsv(correlations, ['group', 'statistic', 'n', 'pearsonR', 'pearsonP', 'pearsonPHolm', 'spearmanRho', 'spearmanP', 'spearmanPHolm']));
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
      if (layout) out(join('graphs', `${slug(cell)}-${which}.svg`), await drawGraph(graph, layout, `${cell}, ${which} (${pct(t.testAccuracy)} %): stage 1, ${graphTitle(graph)}`));
    }
  }
  return { dir, files, cells, pairs, correlations };
}
