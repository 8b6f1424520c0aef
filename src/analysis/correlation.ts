import { mean } from 'simple-statistics';
import { RandwireError } from '../core/errors.js';
import { incompleteBeta } from './incomplete-beta.js';
import { ranks } from './ranks.js';
import { studentT } from './student-t.js';

// Both follow scipy 1.17 (pearsonr, spearmanr) so the report can be checked against Python.
// A pair is used only when both values are finite: a run that diverged on one metric says
// nothing about how the two relate. Fewer than 3 pairs or a constant side give null, as there is
// no degree of freedom left for a p-value or no correlation defined.

export interface PearsonResult {
  r: number;
  p: number;
  n: number;
}

export interface SpearmanResult {
  rho: number;
  p: number;
  n: number;
}

/** Pearson's r with the two-sided p-value of scipy.stats.pearsonr. */
export function pearson(x: number[], y: number[]): PearsonResult | null {
  const pairs = finitePairs(x, y, 'pearson');
  if (pairs === null) return null;
  const r = coefficient(pairs.x, pairs.y);
  const n = pairs.x.length;
  // Under the null, (r + 1) / 2 ~ Beta(n/2 - 1, n/2 - 1); scipy takes p from that distribution,
  // and its symmetry turns the upper tail at (|r| + 1) / 2 into I_{(1 - |r|) / 2}(ab, ab).
  const ab = n / 2 - 1;
  const p = 2 * incompleteBeta((1 - Math.abs(r)) / 2, ab, ab);
  return { r, p, n };
}

/** Spearman's rho (average ranks for ties) with scipy.stats.spearmanr's t-based p-value. */
export function spearman(x: number[], y: number[]): SpearmanResult | null {
  const pairs = finitePairs(x, y, 'spearman');
  if (pairs === null) return null;
  const rho = coefficient(ranks(pairs.x).ranks, ranks(pairs.y).ranks);
  const n = pairs.x.length;
  const df = n - 2;
  // rho = ±1 gives t = ±inf and p = 0, as in scipy; the clip absorbs rounding below zero.
  const t = rho * Math.sqrt(Math.max(0, df / ((rho + 1) * (1 - rho))));
  return { rho, p: studentT.twoSidedP(t, df), n };
}

function finitePairs(x: number[], y: number[], name: string): { x: number[]; y: number[] } | null {
  if (x.length !== y.length) {
    throw new RandwireError('analysis', `${name}: x has ${x.length} values but y has ${y.length}`);
  }
  const fx: number[] = [];
  const fy: number[] = [];
  x.forEach((xi, i) => {
    const yi = y[i]!;
    if (Number.isFinite(xi) && Number.isFinite(yi)) {
      fx.push(xi);
      fy.push(yi);
    }
  });
  if (fx.length < 3 || isConstant(fx) || isConstant(fy)) return null;
  return { x: fx, y: fy };
}

function isConstant(values: number[]): boolean {
  return values.every((v) => v === values[0]);
}

/** Correlation of centred, normalized vectors, as scipy.stats.pearsonr computes it. */
function coefficient(x: number[], y: number[]): number {
  const xm = centred(x);
  const ym = centred(y);
  const nx = norm(xm);
  const ny = norm(ym);
  let r = 0;
  for (let i = 0; i < xm.length; i++) r += (xm[i]! / nx) * (ym[i]! / ny);
  // Rounding can push |r| a hair past 1, where the p-value would be undefined.
  return Math.min(1, Math.max(-1, r));
}

function centred(values: number[]): number[] {
  const m = mean(values);
  return values.map((v) => v - m);
}

// Scaling by the largest entry first avoids overflow in the sum of squares (as scipy does).
function norm(values: number[]): number {
  const largest = values.reduce((acc, v) => Math.max(acc, Math.abs(v)), 0);
  let sum = 0;
  for (const v of values) sum += (v / largest) ** 2;
  return largest * Math.sqrt(sum);
}
