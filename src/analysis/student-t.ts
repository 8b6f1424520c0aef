import jStat from 'jstat';
import { incompleteBeta } from './incomplete-beta.js';

// Student's t distribution to the precision the report compares against scipy (1e-9 relative).
// jStat's own cdf and quantile are only ~1e-7 accurate, so probabilities come from the incomplete
// beta function, written so neither a tail nor the centre is obtained as a difference near 1, and
// jStat's quantile only seeds a Newton iteration.

const MAX_NEWTON_STEPS = 60;

export const studentT = {
  /** P(|T| >= |t|) for T with `df` degrees of freedom: the two-sided p-value of `t`. */
  twoSidedP(t: number, df: number): number {
    return 2 * upperTail(Math.abs(t), df);
  },

  /** The p-quantile of T with `df` degrees of freedom, 0 < p < 1. */
  quantile(p: number, df: number): number {
    if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
    if (p === 0.5) return 0;
    // Both are exact in floating point for the range each is used in (Sterbenz).
    const tail = p > 0.5 ? 1 - p : p;
    const centre = p > 0.5 ? p - 0.5 : 0.5 - p;
    // Match whichever probability is the smaller, so the target keeps its relative precision.
    const useCentre = centre < 0.25;
    let x = Math.abs(jStat.studentt.inv(0.5 + centre, df));
    if (!(x > 0 && Number.isFinite(x))) x = 1;
    for (let i = 0; i < MAX_NEWTON_STEPS; i++) {
      const error = useCentre ? centreMass(x, df) - centre : tail - upperTail(x, df);
      // Both error terms rise with x at rate pdf(x); jStat's pdf is accurate enough for a slope.
      const step = error / jStat.studentt.pdf(x, df);
      const next = x - step;
      // Newton can overshoot past 0 from a poor seed; halving keeps x positive.
      x = next > 0 ? next : x / 2;
      if (Math.abs(step) <= 4 * Number.EPSILON * x) break;
    }
    return p > 0.5 ? x : -x;
  },
};

/** P(T > x) for x >= 0. */
function upperTail(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df)) return Number.NaN;
  const x2 = x * x;
  if (x2 === Infinity) return 0;
  return 0.5 * incompleteBeta(df / (df + x2), df / 2, 0.5, x2 / (df + x2));
}

/** P(0 < T < x) for x >= 0. */
function centreMass(x: number, df: number): number {
  const x2 = x * x;
  if (x2 === Infinity) return 0.5;
  return 0.5 * incompleteBeta(x2 / (df + x2), 0.5, df / 2, df / (df + x2));
}
