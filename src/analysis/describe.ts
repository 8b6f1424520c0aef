import { max, mean, median, min, sampleStandardDeviation } from 'simple-statistics';
import { studentT } from './student-t.js';

export interface Description {
  n: number;
  mean: number | null;
  std: number | null;
  ci95: [number, number] | null;
  min: number | null;
  median: number | null;
  max: number | null;
}

/**
 * Summary of one sample: sample std (ddof = 1) and a Student-t 95% interval for the mean.
 * Non-finite values (a diverged run's NaN loss) are left out and `n` counts what remains, so one
 * bad run cannot turn a whole row of the report into NaN. Quantities a sample this small cannot
 * support are null rather than NaN, so callers must handle them explicitly.
 */
export function describe(values: number[]): Description {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { n, mean: null, std: null, ci95: null, min: null, median: null, max: null };
  const m = mean(finite);
  let std: number | null = null;
  let ci95: [number, number] | null = null;
  if (n >= 2) {
    std = sampleStandardDeviation(finite);
    const halfWidth = (studentT.quantile(0.975, n - 1) * std) / Math.sqrt(n);
    ci95 = [m - halfWidth, m + halfWidth];
  }
  return { n, mean: m, std, ci95, min: min(finite), median: median(finite), max: max(finite) };
}
