import { GRAPH_STAT_KEYS, type SweepResults } from '../sweep/collect.js';
import { toCsv, toMarkdown } from './csv.js';
import type { CellRow, CorrelationRow, PairRow } from './sweep-stats.js';

/** The tables of a sweep's report (report/sweep-report.ts writes them): Markdown for people, CSV for pandas and R. */

export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)}`);
const p3 = (v: number | null): string => (v === null ? '-' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));
const r3 = (v: number | null): string => (v === null ? '-' : v.toFixed(3));
export const kilo = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);

export function cellTable(rows: CellRow[]): string {
  const head = [
    'cell',
    'graphs',
    'trials',
    'test acc. % mean +/- std',
    '95 % CI',
    'min / median / max',
    'train-seed std',
    'test loss mean +/- std',
    'params',
    'mult-adds',
    'time / trial',
  ];
  const body = rows.map((r) => [
    r.reference ? `${r.cell} (reference)` : r.cell + (r.outOfBudget ? ' (out of budget)' : ''),
    String(r.accuracy.n),
    String(r.trials),
    `${pct(r.accuracy.mean)} +/- ${pct(r.accuracy.std)}`,
    r.accuracy.ci95 ? `${pct(r.accuracy.ci95[0])}-${pct(r.accuracy.ci95[1])}` : '-',
    `${pct(r.accuracy.min)} / ${pct(r.accuracy.median)} / ${pct(r.accuracy.max)}`,
    pct(r.trainSeedStd),
    `${r.loss.mean?.toFixed(4) ?? '-'} +/- ${r.loss.std?.toFixed(4) ?? '-'}`,
    kilo(r.params),
    kilo(r.multiplyAdds),
    `${r.meanSeconds.toFixed(0)} s`,
  ]);
  return toMarkdown(head, body);
}

export function significanceTable(pairs: PairRow[]): string {
  const shown = [...pairs].sort((x, y) => (x.welchPHolm ?? 2) - (y.welchPHolm ?? 2)).slice(0, 20);
  const head = ['cell A', 'cell B', 'A - B (points)', 'Welch t', 'p', 'p (Holm)', 'Mann-Whitney U', 'p', 'p (Holm)'];
  return toMarkdown(
    head,
    shown.map((p) => [
      p.a,
      p.b,
      (p.meanDifference * 100).toFixed(2),
      r3(p.welchT),
      p3(p.welchP),
      p3(p.welchPHolm),
      p.mannWhitneyU?.toFixed(1) ?? '-',
      p3(p.mannWhitneyP),
      p3(p.mannWhitneyPHolm),
    ]),
    (i) => i > 1,
  );
}

export function correlationTable(rows: CorrelationRow[]): string {
  const head = ['model size', 'graph statistic (mean over stages)', 'graphs', 'Pearson r', 'p (Holm)', 'Spearman rho', 'p (Holm)'];
  return toMarkdown(
    head,
    rows.map((r) => [r.group, r.statistic, String(r.n), r3(r.pearsonR), p3(r.pearsonPHolm), r3(r.spearmanRho), p3(r.spearmanPHolm)]),
    (i) => i > 1,
  );
}

export function trialsCsv(results: SweepResults): string {
  const rows = results.trials.map((t) => ({
    id: t.id,
    cell: t.cell,
    family: t.family,
    model: t.model,
    params: t.params,
    nodes: t.nodes,
    channels: t.channels,
    graph_seed: t.graphSeed,
    train_seed: t.trainSeed,
    seed: t.seed,
    test_accuracy: t.testAccuracy,
    test_loss: t.testLoss,
    val_accuracy: t.valAccuracy,
    val_loss: t.valLoss,
    model_params: t.modelParams,
    multiply_adds: t.multiplyAdds,
    epochs: t.epochs,
    seconds: t.seconds,
    attempts: t.attempts,
    graph_hashes: t.graphHashes,
    same_graphs_as: t.sameGraphsAs,
    out_of_budget: t.outOfBudget,
    ...Object.fromEntries(GRAPH_STAT_KEYS.map((k) => [k, t.graph[k]])),
  }));
  return toCsv(rows, Object.keys(rows[0] ?? { id: '' }) as Array<keyof (typeof rows)[number] & string>);
}

/** table.csv: one row per cell, every statistic its own column. */
export function cellsCsv(cells: CellRow[]): string {
  return toCsv(
    cells.map((r) => ({
      cell: r.cell,
      family: r.family,
      reference: r.reference,
      graphs: r.accuracy.n,
      trials: r.trials,
      train_seed_std: r.trainSeedStd,
      accuracy_mean: r.accuracy.mean,
      accuracy_std: r.accuracy.std,
      accuracy_ci95_low: r.accuracy.ci95?.[0] ?? null,
      accuracy_ci95_high: r.accuracy.ci95?.[1] ?? null,
      accuracy_min: r.accuracy.min,
      accuracy_median: r.accuracy.median,
      accuracy_max: r.accuracy.max,
      loss_mean: r.loss.mean,
      loss_std: r.loss.std,
      loss_min: r.loss.min,
      loss_median: r.loss.median,
      loss_max: r.loss.max,
      params: r.params,
      multiply_adds: r.multiplyAdds,
      seconds_mean: r.meanSeconds,
      out_of_budget: r.outOfBudget,
    })),
    [
      'cell',
      'family',
      'reference',
      'graphs',
      'trials',
      'train_seed_std',
      'accuracy_mean',
      'accuracy_std',
      'accuracy_ci95_low',
      'accuracy_ci95_high',
      'accuracy_min',
      'accuracy_median',
      'accuracy_max',
      'loss_mean',
      'loss_std',
      'loss_min',
      'loss_median',
      'loss_max',
      'params',
      'multiply_adds',
      'seconds_mean',
      'out_of_budget',
    ],
  );
}
