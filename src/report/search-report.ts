import type { TopLevelSpec } from 'vega-lite';
import { formatDuration, plural } from '../core/format.js';
import { GRAPH_STAT_LABELS, type GraphStatKey } from '../sweep/graph-stat-columns.js';
import { anytimeCurve, sweepSummary, type AnytimePoint } from './anytime.js';
import { renderSvg } from './charts.js';
import { toCsv, toMarkdown } from './csv.js';
import type { SearchData } from './search-data.js';
import { anytimeSpec, lineageSpec, paretoSpec } from './search-figures.js';
import { generationRows, lineageRows, paretoRows, rungTable, type GenerationRow, type LineageRow, type ParetoRow, type RungRow } from './search-tables.js';

/** The search's part of a sweep's report and of its dashboard page. */
export interface SearchSections {
  strategy: string;
  anytime: AnytimePoint[];
  rungs: RungRow[];
  lineage: LineageRow[];
  generations: GenerationRow[];
  pareto: ParetoRow[];
}

export function searchSections(data: SearchData): SearchSections {
  return {
    strategy: data.strategy,
    anytime: anytimeCurve(data),
    rungs: rungTable(data),
    lineage: lineageRows(data),
    generations: generationRows(data),
    pareto: paretoRows(data),
  };
}

export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)}`);
const short = (id: string | null): string => id ?? '-';
const stat = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v.toFixed(3));

export function anytimeCsv(points: AnytimePoint[], sweep?: { label: string; strategy: string }): string {
  const rows = points.map((p) => ({
    ...(sweep ? { sweep: sweep.label, strategy: sweep.strategy } : {}),
    at: p.at,
    trial_id: p.trialId,
    epoch: p.epoch,
    val_accuracy: p.valAccuracy,
    epochs_charged: p.epochsCharged,
    cumulative_epochs: p.cumulativeEpochs,
    cumulative_seconds: p.cumulativeSeconds,
    best_val_accuracy: p.bestValAccuracy,
    best_trial_id: p.bestTrialId,
  }));
  const columns = [
    'at',
    'trial_id',
    'epoch',
    'val_accuracy',
    'epochs_charged',
    'cumulative_epochs',
    'cumulative_seconds',
    'best_val_accuracy',
    'best_trial_id',
  ];
  return toCsv(rows, (sweep ? ['sweep', 'strategy', ...columns] : columns) as Array<keyof (typeof rows)[number] & string>);
}

function rungMarkdown(rows: RungRow[]): string {
  const head = ['bracket', 'rung', 'epochs', 'planned', 'admitted', 'results', 'promoted', 'stopped', 'best val. acc. %', 'best trial'];
  return toMarkdown(
    head,
    rows.map((r) => [
      String(r.bracket),
      String(r.rung),
      String(r.epochs ?? '-'),
      String(r.planned ?? '-'),
      String(r.admitted),
      String(r.results),
      String(r.promoted),
      String(r.stopped),
      pct(r.bestValAccuracy),
      short(r.bestTrialId),
    ]),
    (i) => i < 9,
  );
}

function lineageMarkdown(rows: LineageRow[]): string {
  const head = ['birth', 'generation', 'child', 'parent', 'mutations', 'status', 'val. acc. %', 'parent val. acc. %'];
  return toMarkdown(
    head,
    rows.map((r) => [
      String(r.birth),
      String(r.generation),
      r.trialId,
      short(r.parentId),
      r.mutations || '-',
      r.status,
      pct(r.valAccuracy),
      pct(r.parentValAccuracy),
    ]),
    (i) => i < 2 || i > 5,
  );
}

const statKeys = (rows: GenerationRow[]): GraphStatKey[] => Object.keys(rows[0]?.graph ?? {}) as GraphStatKey[];

function generationMarkdown(rows: GenerationRow[]): string {
  const keys = statKeys(rows);
  const head = ['generation', 'trials', 'with a result', 'mean val. acc. %', 'best val. acc. %', ...keys.map((k) => GRAPH_STAT_LABELS[k])];
  return toMarkdown(
    head,
    rows.map((r) => [
      String(r.generation),
      String(r.trials),
      String(r.withResult),
      pct(r.meanValAccuracy),
      pct(r.bestValAccuracy),
      ...keys.map((k) => stat(r.graph[k])),
    ]),
  );
}

/**
 * Write the search's files into a report folder: the anytime curve (every sweep: grid and random
 * give the baseline), the Pareto front, and where the rows exist halving's rungs and evolution's
 * lineage. Returns the files' names, for `out`.
 */
export async function writeSearchReport(data: SearchData, title: string, out: (name: string, content: string) => void): Promise<void> {
  const s = searchSections(data);
  const summary = sweepSummary(data);
  const lines = [
    `# ${title}: search (${s.strategy})`,
    '',
    `${plural(summary.trialsTrained, 'trial')} trained ${plural(summary.epochs, 'epoch')} (${formatDuration(summary.seconds)} of training summed over workers); best finished trial by validation accuracy: ${summary.bestTrialId ?? '-'} (validation ${pct(summary.bestValAccuracy)} %, test ${pct(summary.bestTestAccuracy)} %).`,
  ];
  const figures: Array<[string, TopLevelSpec]> = [];
  if (s.anytime.length) {
    out('anytime.csv', anytimeCsv(s.anytime));
    figures.push([
      'anytime',
      anytimeSpec([{ label: `${data.name} (${s.strategy})`, points: s.anytime }], `${title}: best validation accuracy against compute`),
    ]);
  }
  if (s.pareto.length) {
    out(
      'pareto.csv',
      toCsv(
        s.pareto.map((r) => ({
          trial_id: r.trialId,
          cell: r.cell,
          origin: r.origin,
          val_accuracy: r.valAccuracy,
          test_accuracy: r.testAccuracy,
          multiply_adds: r.multiplyAdds,
          params: r.params,
          rank_multiply_adds: r.rankFlops,
          rank_params: r.rankParams,
        })),
        ['trial_id', 'cell', 'origin', 'val_accuracy', 'test_accuracy', 'multiply_adds', 'params', 'rank_multiply_adds', 'rank_params'],
      ),
    );
    figures.push(['pareto', paretoSpec(s.pareto, `${title}: validation accuracy against cost`)]);
    lines.push(
      '',
      `Pareto front: ${plural(s.pareto.filter((r) => r.rankFlops === 0).length, 'trial')} of ${s.pareto.length} finished non-dominated against multiply-adds, ${s.pareto.filter((r) => r.rankParams === 0).length} against parameters (pareto.csv, pareto.svg).`,
    );
  }
  if (s.rungs.length) {
    out('rungs.csv', toCsv(s.rungs, ['bracket', 'rung', 'epochs', 'planned', 'admitted', 'results', 'promoted', 'stopped', 'bestValAccuracy', 'bestTrialId']));
    lines.push(
      '',
      '## Rungs',
      '',
      "Per bracket and rung: trials admitted (rung 0: the bracket's; later: those promoted), their results so far, and the decisions.",
      '',
      rungMarkdown(s.rungs),
    );
  }
  if (s.lineage.length) {
    out('lineage.csv', toCsv(s.lineage, ['birth', 'generation', 'trialId', 'parentId', 'mutations', 'status', 'valAccuracy', 'parentValAccuracy']));
    const keys = statKeys(s.generations);
    out(
      'generations.csv',
      toCsv(
        s.generations.map((g) => ({
          generation: g.generation,
          trials: g.trials,
          with_result: g.withResult,
          mean_val_accuracy: g.meanValAccuracy,
          best_val_accuracy: g.bestValAccuracy,
          ...g.graph,
        })),
        ['generation', 'trials', 'with_result', 'mean_val_accuracy', 'best_val_accuracy', ...keys] as Array<'generation'>,
      ),
    );
    figures.push(['lineage', lineageSpec(s.lineage, `${title}: lineage`)]);
    lines.push(
      '',
      '## Generations',
      '',
      'Generation 0: the planned trials (the initial population is drawn from them). Graph statistics: mean over stages, then over the generation.',
      '',
      generationMarkdown(s.generations),
    );
    lines.push('', '## Lineage', '', lineageMarkdown(s.lineage));
  }
  out('search.md', lines.join('\n') + '\n');
  for (const [name, spec] of figures) out(`${name}.svg`, await renderSvg(spec));
}
