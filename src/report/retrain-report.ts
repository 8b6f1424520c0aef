import { join } from 'node:path';
import { writeText } from '../io/files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import type { RetrainResult } from '../sweep/retrain-results.js';
import { toCsv, toMarkdown } from './csv.js';

/** The retrain table's files in a sweep's report folder (written by `sweep retrain` and `sweep report`). */
export const RETRAIN_FILES = { markdown: 'retrain.md', csv: 'retrain.csv' } as const;

const pct = (v: number | null): string => (v === null ? '-' : (v * 100).toFixed(2));

/** The table as Markdown, with the sentence that says what its columns mean. */
export function retrainMarkdown(rows: readonly RetrainResult[]): string {
  const head = ['rank', 'original trial', 'original cell', 'selected val. acc. % (one run)', 'retrained test acc. % mean +/- std', 'n', 'retrain cell'];
  const body = rows.map((r) => [
    r.rank === null ? '-' : String(r.rank),
    r.originalId,
    r.originalCell,
    pct(r.selectedValAccuracy),
    `${pct(r.mean)} +/- ${pct(r.std)}`,
    r.testAccuracies.length === r.seeds ? String(r.seeds) : `${r.testAccuracies.length} of ${r.seeds}`,
    r.cell,
  ]);
  return [
    '## Retrained from scratch',
    '',
    'The best finished trials by validation accuracy (rank among all of them; ties by trial id), each trained again from scratch at the full budget under new seeds. Their test accuracy is the mean +/- sample std over those seeds (n finished), never the single run they were selected on.',
    '',
    toMarkdown(head, body, (i) => i === 0 || i === 3 || i === 4 || i === 5),
  ].join('\n');
}

export function retrainCsv(rows: readonly RetrainResult[]): string {
  return toCsv(
    rows.map((r) => ({
      rank: r.rank,
      original_id: r.originalId,
      original_cell: r.originalCell,
      selected_val_accuracy: r.selectedValAccuracy,
      retrain_cell: r.cell,
      seeds: r.seeds,
      n: r.testAccuracies.length,
      test_accuracy_mean: r.mean,
      test_accuracy_std: r.std,
    })),
    ['rank', 'original_id', 'original_cell', 'selected_val_accuracy', 'retrain_cell', 'seeds', 'n', 'test_accuracy_mean', 'test_accuracy_std'],
  );
}

/** Write the table into `reportDir` (default: the sweep's report folder); returns the files written. */
export function writeRetrainTable(sweepDir: string, rows: readonly RetrainResult[], reportDir = join(sweepDir, SWEEP_FILES.report)): string[] {
  const md = join(reportDir, RETRAIN_FILES.markdown);
  const csv = join(reportDir, RETRAIN_FILES.csv);
  writeText(md, retrainMarkdown(rows) + '\n');
  writeText(csv, retrainCsv(rows));
  return [md, csv];
}
