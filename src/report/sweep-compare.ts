import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { formatDuration } from '../core/format.js';
import { writeText } from '../io/files.js';
import { readSweep } from '../sweep/folder.js';
import { anytimeCurve, retrainRows, sweepSummary, type RetrainRow, type SweepSummary } from './anytime.js';
import { renderSvg } from './charts.js';
import { toCsv, toMarkdown } from './csv.js';
import type { SearchData } from './search-data.js';
import { anytimeSpec } from './search-figures.js';
import { readSearchData } from './search-read.js';
import { anytimeCsv, pct } from './search-report.js';

/**
 * `sweep compare`: several sweeps (e.g. random sampling, Hyperband and evolution on one budget)
 * side by side: one anytime figure with a curve each, what each cost and found, and the retrains
 * of their selected trials.
 */

export interface Comparison {
  files: string[];
  summaries: SweepSummary[];
  retrains: RetrainRow[];
}

function readAll(dirs: readonly string[]): Array<{ dir: string; data: SearchData }> {
  const seen = new Map<string, string>();
  for (const d of dirs) {
    const key = resolve(d);
    if (seen.has(key)) throw new RandwireError('compare', `${d} is given twice (as ${seen.get(key)} too)`);
    seen.set(key, d);
  }
  return dirs.map((dir) => {
    const { plan, store } = readSweep(dir);
    try {
      return { dir, data: readSearchData(plan, store) };
    } finally {
      store.close();
    }
  });
}

function summaryMarkdown(rows: SweepSummary[]): string {
  const head = ['sweep', 'strategy', 'trials trained', 'epochs', 'training time', 'best val. acc. %', 'its test acc. %', 'best trial'];
  return toMarkdown(
    head,
    rows.map((r) => [
      r.sweep,
      r.strategy,
      String(r.trialsTrained),
      String(r.epochs),
      formatDuration(r.seconds),
      pct(r.bestValAccuracy),
      pct(r.bestTestAccuracy),
      r.bestTrialId ?? '-',
    ]),
    (i) => i >= 2 && i <= 6,
  );
}

function retrainMarkdown(rows: RetrainRow[]): string {
  const head = ['sweep', 'selected trial', 'val. acc. %', 'test acc. % (its run)', 'retrains finished', 'retrained test acc. % mean +/- std'];
  return toMarkdown(
    head,
    rows.map((r) => [
      r.sweep,
      r.selectedId,
      pct(r.selectedValAccuracy),
      pct(r.selectedTestAccuracy),
      `${r.finished} of ${r.retrains}`,
      `${pct(r.testMean)} +/- ${pct(r.testStd)}`,
    ]),
    (i) => i >= 2,
  );
}

export async function compareSweeps(dirs: readonly string[], out: string): Promise<Comparison> {
  if (dirs.length === 0) throw new RandwireError('compare', 'give at least one sweep folder');
  if (existsSync(out) && !statSync(out).isDirectory()) throw new RandwireError('compare', `--out ${out} is a file, not a folder`);
  const sweeps = readAll(dirs);
  // Two sweeps of one name (the same file run into two folders) are told apart by their folders.
  const names = sweeps.map((s) => s.data.name);
  const label = (s: { dir: string; data: SearchData }): string => (names.filter((n) => n === s.data.name).length > 1 ? s.dir : s.data.name);
  const summaries = sweeps.map((s) => sweepSummary(s.data, label(s)));
  const retrains = sweeps.flatMap((s) => retrainRows(s.data, label(s)));
  const curves = sweeps.map((s) => ({ label: `${label(s)} (${s.data.strategy})`, strategy: s.data.strategy, points: anytimeCurve(s.data) }));
  const files: string[] = [];
  const write = (name: string, content: string): void => {
    writeText(join(out, name), content);
    files.push(join(out, name));
  };
  const csv = curves.map((c, i) => anytimeCsv(c.points, { label: summaries[i]!.sweep, strategy: c.strategy }));
  write('anytime.csv', csv[0]!.split('\n')[0] + '\n' + csv.map((t) => t.split('\n').slice(1).join('\n')).join(''));
  write('anytime.svg', await renderSvg(anytimeSpec(curves, 'Best validation accuracy against compute, per sweep')));
  write('table.csv', toCsv(summaries, ['sweep', 'strategy', 'trialsTrained', 'epochs', 'seconds', 'bestTrialId', 'bestValAccuracy', 'bestTestAccuracy']));
  const md = [
    '# Sweeps compared',
    '',
    `${dirs.join(', ')}. Epochs and time are the search's (retrains not counted), time summed over workers; the best trial is the best finished one by validation accuracy, with its test accuracy.`,
    '',
    summaryMarkdown(summaries),
  ];
  if (retrains.length) {
    write(
      'retrains.csv',
      toCsv(retrains, ['sweep', 'selectedId', 'selectedValAccuracy', 'selectedTestAccuracy', 'retrains', 'finished', 'testMean', 'testStd']),
    );
    md.push(
      '',
      '## Retrained',
      '',
      'Each selected trial trained again from scratch with new seeds; test accuracy over its finished retrains (std: sample, n - 1).',
      '',
      retrainMarkdown(retrains),
    );
  }
  write('table.md', md.join('\n') + '\n');
  return { files, summaries, retrains };
}
