import { toCsv } from './csv.js';
import { STUDY_TABLE1 } from '../experiment/study.js';
import { formatDuration, plural } from '../core/format.js';

export interface ResultRow {
  id: string;
  label: string;
  testAccuracy: number;
  testLoss: number;
  testImages: number;
  validationAccuracy: number | null;
  params: number;
  flops: number;
  epochs: number;
  seconds: number;
  studyAccuracy: number | null;
  studyLoss: number | null;
}

const pct = (v: number | null): string => (v === null || Number.isNaN(v) ? '-' : `${(v * 100).toFixed(2)} %`);
const num = (v: number | null, digits = 4): string => (v === null || Number.isNaN(v) ? '-' : v.toPrecision(digits));
const millions = (v: number): string => `${(v / 1e6).toFixed(2)} M`;

export function studyColumns(id: string): { label: string; studyAccuracy: number | null; studyLoss: number | null } {
  const s = STUDY_TABLE1[id];
  return { label: s?.label ?? id, studyAccuracy: s?.testAccuracy ?? null, studyLoss: s?.testLoss ?? null };
}

export function tableMarkdown(rows: ResultRow[], title: string): string {
  const head = ['model', 'test accuracy', 'test loss', 'study: accuracy', 'study: loss', 'params', 'multiply-adds / image', 'epochs', 'training time'];
  const lines = [`# ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    lines.push(
      `| ${[r.label, pct(r.testAccuracy), num(r.testLoss), pct(r.studyAccuracy), num(r.studyLoss), millions(r.params), millions(r.flops), String(r.epochs), formatDuration(r.seconds, { h: 2 })].join(' | ')} |`,
    );
  }
  lines.push(
    '',
    `Test accuracy on ${plural(rows[0]?.testImages ?? 0, 'test image')}. "study" columns: Table 1 of Corum (2021), whose RandWire was broken (see the README).`,
  );
  return lines.join('\n') + '\n';
}

export function tableCsv(rows: ResultRow[]): string {
  const cols: Array<keyof ResultRow> = [
    'id',
    'label',
    'testAccuracy',
    'testLoss',
    'testImages',
    'validationAccuracy',
    'studyAccuracy',
    'studyLoss',
    'params',
    'flops',
    'epochs',
    'seconds',
  ];
  return toCsv(rows, cols);
}
