/**
 * Holm-Bonferroni adjusted p-values, in the order given (statsmodels multipletests(method='holm')).
 * Step-down: the i-th smallest of m p-values is multiplied by m - i (i from 0), then a running
 * maximum keeps the adjusted values in the same order as the raw ones, capped at 1. Comparing
 * an adjusted value with alpha is then the same as running Holm's procedure at level alpha.
 */
export function holm(pValues: number[]): number[] {
  for (const p of pValues) {
    // A p-value outside [0, 1] (or NaN) is a bug upstream; adjusting it would hide that.
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holm: not a p-value: ${p}`);
  }
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]!);
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  order.forEach((index, rank) => {
    runningMax = Math.max(runningMax, pValues[index]! * (m - rank));
    adjusted[index] = Math.min(1, runningMax);
  });
  return adjusted;
}
