import { mean, sampleVariance } from 'simple-statistics';
import { normalSf } from './normal.js';
import { ranks } from './ranks.js';
import { studentT } from './student-t.js';

// Both tests follow scipy 1.17 (ttest_ind(equal_var=False), mannwhitneyu(method='auto')) so the
// report's numbers can be checked against the Python reference line for line. Like describe,
// they ignore non-finite values, so a diverged run shrinks a sample instead of poisoning it.

export interface WelchResult {
  t: number;
  df: number;
  p: number;
}

export interface MannWhitneyResult {
  /** U of the first sample: the number of (a, b) pairs with a > b, ties counting one half. */
  u: number;
  p: number;
  method: 'exact' | 'asymptotic';
}

/** Two-sided Welch t-test; null when a sample has fewer than 2 values or neither varies. */
export function welchTTest(a: number[], b: number[]): WelchResult | null {
  const x = a.filter(Number.isFinite);
  const y = b.filter(Number.isFinite);
  if (x.length < 2 || y.length < 2) return null;
  const vn1 = sampleVariance(x) / x.length;
  const vn2 = sampleVariance(y) / y.length;
  // scipy returns t = ±inf or NaN here; neither means anything in a report.
  if (vn1 === 0 && vn2 === 0) return null;
  const df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (x.length - 1) + vn2 ** 2 / (y.length - 1));
  const t = (mean(x) - mean(y)) / Math.sqrt(vn1 + vn2);
  return { t, df, p: studentT.twoSidedP(t, df) };
}

// scipy's 'auto' rule (_mwu_choose_method): asymptotic when both samples exceed this or any
// value is tied, exact otherwise, so one small sample suffices for the exact distribution.
const EXACT_MAX_SIZE = 8;

/** Two-sided Mann-Whitney U test; null when either sample is empty. */
export function mannWhitneyU(a: number[], b: number[]): MannWhitneyResult | null {
  const x = a.filter(Number.isFinite);
  const y = b.filter(Number.isFinite);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return null;
  const { ranks: r, tieCounts } = ranks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += r[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  // The two-sided p-value is twice the upper tail of the larger of U1 and U2 = n1*n2 - U1.
  const uMax = Math.max(u1, n1 * n2 - u1);
  const tied = tieCounts.some((count) => count > 1);
  if (!tied && (n1 <= EXACT_MAX_SIZE || n2 <= EXACT_MAX_SIZE)) {
    // U's null distribution is symmetric, so P(U >= uMax) = P(U <= n1*n2 - uMax).
    const p = 2 * exactLowerTail(n1 * n2 - uMax, n1, n2);
    return { u: u1, p: Math.min(1, p), method: 'exact' };
  }
  const n = n1 + n2;
  const tieTerm = tieCounts.reduce((acc, count) => acc + (count ** 3 - count), 0);
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // Continuity correction: the upper tail of a discrete U starts half a step below uMax.
  // With every value tied s is 0 and z = -inf, giving p = 1 as in scipy.
  const z = (uMax - (n1 * n2) / 2 - 0.5) / s;
  return { u: u1, p: Math.min(1, Math.max(0, 2 * normalSf(z))), method: 'asymptotic' };
}

/**
 * P(U <= k) under the null hypothesis, by counting: the number of arrangements of n1 + n2 values
 * with U = u is the coefficient of q^u in the Gaussian binomial [n1 + n2 choose m]_q, with
 * m = min(n1, n2), built as the product over i = 1..m of (1 - q^(n + i)) / (1 - q^i) — one
 * multiplication and one division by a binomial per i, each a single pass over the coefficients.
 * BigInt keeps the counts exact: they pass 2^53 already for 8 against 400 values.
 */
function exactLowerTail(k: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  // Truncating at degree k is safe: both operations only push mass to higher degrees.
  const counts = new Array<bigint>(k + 1).fill(0n);
  counts[0] = 1n;
  for (let i = 1; i <= m; i++) {
    for (let u = k; u >= n + i; u--) counts[u]! -= counts[u - n - i]!;
    for (let u = i; u <= k; u++) counts[u]! += counts[u - i]!;
  }
  let below = 0n;
  for (const c of counts) below += c;
  let total = 1n;
  // C(n + m, m), built so that every intermediate quotient is itself a binomial coefficient.
  for (let i = 1; i <= m; i++) total = (total * BigInt(n + i)) / BigInt(i);
  return Number(below) / Number(total);
}
