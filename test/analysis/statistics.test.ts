import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, holm, mannWhitneyU, pearson, spearman, welchTTest } from '../../src/analysis/index.js';
import { RandwireError } from '../../src/core/errors.js';

// Every expected value below was produced by python3 with scipy 1.17.1 / numpy 2.4.6 on the
// quoted call (printed with repr, i.e. all digits), except Holm's, which are worked by hand.

const TOLERANCE = 1e-9;

/** Relative agreement within TOLERANCE (absolute when the reference is 0). */
function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(typeof actual === 'number', `${what}: expected a number, got ${actual}`);
  const error = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(error <= TOLERANCE, `${what}: ${actual} vs scipy ${expected} (relative error ${error})`);
}

test('describe: mean, sample std, t interval and order statistics', () => {
  const v = [2.5, 3.1, 4.7, 1.9, 3.3, 5.0, 2.2];
  // np.mean(V) -> 3.242857142857143; np.std(V, ddof=1) -> 1.2025765988869384;
  // stats.t.interval(0.95, 6, loc=np.mean(V), scale=stats.sem(V))
  //   -> (2.1306592883497837, 4.355054997364502); np.median(V) -> 3.1
  const d = describe(v);
  assert.equal(d.n, 7);
  close(d.mean, 3.242857142857143, 'mean');
  close(d.std, 1.2025765988869384, 'std');
  close(d.ci95?.[0], 2.1306592883497837, 'ci95 low');
  close(d.ci95?.[1], 4.355054997364502, 'ci95 high');
  assert.equal(d.min, 1.9);
  assert.equal(d.median, 3.1);
  assert.equal(d.max, 5.0);
});

test('describe: even n takes the middle mean; n = 2 uses t with 1 degree of freedom', () => {
  // W = [10, 7.5, 8.25, 9]: np.std(W, ddof=1) -> 1.0680004681646913; np.median(W) -> 8.625;
  // stats.t.interval(0.95, 3, loc=np.mean(W), scale=stats.sem(W)) -> (6.988072928024004, 10.386927071975997)
  const w = describe([10.0, 7.5, 8.25, 9.0]);
  close(w.std, 1.0680004681646913, 'std');
  assert.equal(w.median, 8.625);
  close(w.ci95?.[0], 6.988072928024004, 'ci95 low');
  close(w.ci95?.[1], 10.386927071975997, 'ci95 high');
  // P = [4, 6]: stats.t.interval(0.95, 1, loc=5, scale=stats.sem(P)) -> (-7.706204736174694, 17.706204736174694)
  const p = describe([4.0, 6.0]);
  close(p.std, 1.4142135623730951, 'std');
  close(p.ci95?.[0], -7.706204736174694, 'ci95 low');
  close(p.ci95?.[1], 17.706204736174694, 'ci95 high');
});

// Two samples on which jStat's own Student-t functions (quantile, cdf; ~1e-8 accurate) would
// miss scipy by more than the tolerance, so these guard the precision of src/analysis/student-t.
const A30 = [
  0.0, 0.447, -0.002, -0.22, 0.398, 0.569, 0.02, 0.103, 0.744, 0.609, 0.115, 0.49, 1.0, 0.607, 0.311, 0.894, 1.152, 0.616, 0.609, 1.259, 1.212, 0.686, 0.982,
  1.544, 1.216, 0.852, 1.386, 1.726, 1.217, 1.121,
];
const B24 = [
  0.5, -0.293, 0.024, 0.528, -0.327, 0.442, 0.405, -0.182, 0.77, 0.222, 0.134, 0.933, 0.089, 0.547, 0.914, 0.101, 0.951, 0.765, 0.296, 1.24, 0.584, 0.648,
  1.352, 0.483,
];

test('describe: the t quantile for 29 degrees of freedom is precise', () => {
  // stats.t.interval(0.95, 29, loc=np.mean(A30), scale=stats.sem(A30))
  //   -> (0.5343265640545869, 0.9098734359454126);
  // stats.t.ppf(0.975, 29) * stats.sem(A30) -> 0.1877734359454128; np.std(A30, ddof=1) -> 0.5028664969881206
  const d = describe(A30);
  close(d.mean, 0.7220999999999997, 'mean');
  close(d.std, 0.5028664969881206, 'std');
  close(d.ci95?.[0], 0.5343265640545869, 'ci95 low');
  close(d.ci95?.[1], 0.9098734359454126, 'ci95 high');
  close((d.ci95![1] - d.ci95![0]) / 2, 0.1877734359454128, 'half width');
});

test('describe: empty and single samples give nulls instead of NaN', () => {
  assert.deepEqual(describe([]), { n: 0, mean: null, std: null, ci95: null, min: null, median: null, max: null });
  assert.deepEqual(describe([4.5]), { n: 1, mean: 4.5, std: null, ci95: null, min: 4.5, median: 4.5, max: 4.5 });
  // Non-finite values are left out: this is the n = 1 case again.
  assert.deepEqual(describe([Number.NaN, 4.5, Infinity]), describe([4.5]));
});

test('Welch t-test on samples of different sizes', () => {
  const a = [12.1, 14.3, 11.8, 13.5, 15.2, 12.9];
  const b = [10.4, 11.9, 12.2, 9.8, 11.1, 10.7, 12.5, 10.1, 11.4];
  // stats.ttest_ind(A, B, equal_var=False) -> statistic=3.5151649590895224,
  //   df=8.50697944385355, pvalue=0.00716991587540466
  const r = welchTTest(a, b);
  close(r?.t, 3.5151649590895224, 't');
  close(r?.df, 8.50697944385355, 'df');
  close(r?.p, 0.00716991587540466, 'p');
  // Swapping the samples flips t and keeps df and p.
  const s = welchTTest(b, a);
  close(s?.t, -3.5151649590895224, 't swapped');
  close(s?.p, 0.00716991587540466, 'p swapped');
});

test('Welch t-test with fractional degrees of freedom near p = 0.05', () => {
  // stats.ttest_ind(A30, B24, equal_var=False) -> statistic=1.9991971439742238,
  //   df=51.401544598516516, pvalue=0.05088692820909841
  const r = welchTTest(A30, B24);
  close(r?.t, 1.9991971439742238, 't');
  close(r?.df, 51.401544598516516, 'df');
  close(r?.p, 0.05088692820909841, 'p');
});

test('Welch t-test: one constant sample is fine, too few values or no variance at all give null', () => {
  // stats.ttest_ind([3, 3, 3], [1, 2.5, 4, 2], equal_var=False) -> statistic=1.0, df=3.0,
  //   pvalue=0.3910022189557705
  const r = welchTTest([3.0, 3.0, 3.0], [1.0, 2.5, 4.0, 2.0]);
  close(r?.t, 1.0, 't');
  close(r?.df, 3.0, 'df');
  close(r?.p, 0.3910022189557705, 'p');
  assert.equal(welchTTest([1.0], [2.0, 3.0]), null);
  assert.equal(welchTTest([1.0, 2.0], []), null);
  // scipy: statistic=-inf, pvalue=0.0 — meaningless, so null here.
  assert.equal(welchTTest([1.0, 1.0], [2.0, 2.0]), null);
});

test('Mann-Whitney U: exact distribution for 5 against 5 without ties', () => {
  const x = [1.2, 3.4, 2.2, 5.1, 4.4];
  const y = [2.9, 6.0, 5.5, 7.1, 3.9];
  // stats.mannwhitneyu(X, Y, alternative='two-sided', method='auto') -> statistic=5.0,
  //   pvalue=0.15079365079365079 (same as method='exact'; = 2 * 19 / 252)
  const r = mannWhitneyU(x, y);
  assert.equal(r?.method, 'exact');
  assert.equal(r?.u, 5);
  close(r?.p, 0.15079365079365079, 'p');
  // U is that of the first sample: swapping gives n1 * n2 - U and the same p.
  assert.equal(mannWhitneyU(y, x)?.u, 20);
  close(mannWhitneyU(y, x)?.p, 0.15079365079365079, 'p swapped');
});

test('Mann-Whitney U: one small sample is enough for the exact method', () => {
  const s = [0.31, 0.52, 0.18];
  const l = [0.41, 0.05, 0.66, 0.73, 0.12, 0.58, 0.91, 0.27, 0.84, 0.49, 0.37, 0.69, 0.95, 0.22, 0.77, 0.63, 0.88, 0.45, 0.14, 0.99];
  // stats.mannwhitneyu(S, L, method='auto') -> statistic=17.0, pvalue=0.2676453980801807
  //   (method='exact' gives the same; method='asymptotic' would give 0.2538330292158737)
  const r = mannWhitneyU(s, l);
  assert.equal(r?.method, 'exact');
  assert.equal(r?.u, 17);
  close(r?.p, 0.2676453980801807, 'p');
});

test('Mann-Whitney U: asymptotic with tie and continuity corrections when values tie', () => {
  const x = [1, 2, 2, 3, 4, 4, 4, 5];
  const y = [3, 4, 5, 5, 6, 6, 7, 8, 2];
  // stats.mannwhitneyu(X2, Y2, method='auto') -> statistic=14.0, pvalue=0.03620054596449079
  //   (= method='asymptotic'; method='exact' would give 0.03595228301110654)
  const r = mannWhitneyU(x, y);
  assert.equal(r?.method, 'asymptotic');
  assert.equal(r?.u, 14);
  close(r?.p, 0.03620054596449079, 'p');
});

test('Mann-Whitney U: asymptotic when both samples exceed 8, even without ties', () => {
  const x = [0.0, 0.51, 1.04, 1.59, 2.16, 2.75, 3.36, 3.99, 4.64];
  const y = [0.3, 0.85, 1.4, 1.95, 2.5, 3.05, 3.6, 4.15, 4.7, 5.25];
  // stats.mannwhitneyu(X3, Y3, method='auto') -> statistic=36.0, pvalue=0.48766835345893045
  //   (method='exact' would give 0.49669834809153707)
  const r = mannWhitneyU(x, y);
  assert.equal(r?.method, 'asymptotic');
  assert.equal(r?.u, 36);
  close(r?.p, 0.48766835345893045, 'p');
});

test('Mann-Whitney U: a far tail keeps its relative precision', () => {
  // X = [i // 2 for i in range(40)] (pairs tied), Y = [100 + i for i in range(40)]:
  // stats.mannwhitneyu(X, Y, method='auto') -> statistic=0.0, pvalue=1.4250006361762477e-14
  // (1 - erf would get this to only ~1e-2 relative)
  const x = Array.from({ length: 40 }, (_, i) => Math.floor(i / 2));
  const y = Array.from({ length: 40 }, (_, i) => 100 + i);
  const r = mannWhitneyU(x, y);
  assert.equal(r?.method, 'asymptotic');
  assert.equal(r?.u, 0);
  close(r?.p, 1.4250006361762477e-14, 'p');
});

test('Mann-Whitney U: p is capped at 1, and an empty sample gives null', () => {
  // stats.mannwhitneyu([1, 4], [2, 3]) -> statistic=2.0, pvalue=1.0 (exact, U at the centre)
  assert.deepEqual(mannWhitneyU([1.0, 4.0], [2.0, 3.0]), { u: 2, p: 1, method: 'exact' });
  // stats.mannwhitneyu([1, 1], [1, 1, 1]) -> statistic=3.0, pvalue=1.0 (all tied: zero variance)
  assert.deepEqual(mannWhitneyU([1.0, 1.0], [1.0, 1.0, 1.0]), { u: 3, p: 1, method: 'asymptotic' });
  assert.equal(mannWhitneyU([], [1.0, 2.0]), null);
  assert.equal(mannWhitneyU([1.0], [Number.NaN]), null);
});

test('Holm: step-down with the running maximum, in input order', () => {
  // By hand (statsmodels multipletests(method='holm') algorithm), m = 5:
  // sorted 0.005, 0.01, 0.03, 0.04, 0.5 times 5, 4, 3, 2, 1 -> 0.025, 0.04, 0.09, 0.08, 0.5;
  // running max turns 0.08 (p = 0.04) into 0.09.
  const adjusted = holm([0.01, 0.04, 0.03, 0.005, 0.5]);
  const expected = [0.04, 0.09, 0.09, 0.025, 0.5];
  assert.equal(adjusted.length, 5);
  expected.forEach((e, i) => close(adjusted[i], e, `adjusted[${i}]`));
});

test('Holm: values are capped at 1 and the running max carries the cap', () => {
  // By hand, m = 3: 0.02 * 3 = 0.06; 0.6 * 2 = 1.2 -> 1; 0.9 * 1 = 0.9 -> running max 1.2 -> 1.
  const adjusted = holm([0.9, 0.02, 0.6]);
  close(adjusted[0], 1, 'adjusted[0]');
  close(adjusted[1], 0.06, 'adjusted[1]');
  close(adjusted[2], 1, 'adjusted[2]');
  assert.deepEqual(holm([]), []);
  // Tied p-values get the same adjusted value whatever their order.
  assert.deepEqual(holm([0.02, 0.02]), [0.04, 0.04]);
});

test('Holm: something that is not a p-value is a programming error', () => {
  assert.throws(() => holm([0.1, Number.NaN]), RangeError);
  assert.throws(() => holm([1.5]), RangeError);
});

test('Pearson correlation with its two-sided p-value', () => {
  const x = [1.0, 2.1, 2.9, 4.2, 5.1, 5.8, 7.3];
  const y = [2.3, 2.9, 3.8, 3.6, 5.9, 5.2, 7.9];
  // stats.pearsonr(PX, PY) -> statistic=0.9418746440053717, pvalue=0.001516033336813692
  const r = pearson(x, y);
  close(r?.r, 0.9418746440053717, 'r');
  close(r?.p, 0.001516033336813692, 'p');
  assert.equal(r?.n, 7);
  // stats.pearsonr([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 1.5, 2.5]) -> statistic=0.14846149779161802,
  //   pvalue=0.7789438596147662
  const weak = pearson([1, 2, 3, 4, 5, 6], [2.0, 1.0, 4.0, 3.0, 1.5, 2.5]);
  close(weak?.r, 0.14846149779161802, 'weak r');
  close(weak?.p, 0.7789438596147662, 'weak p');
  // stats.pearsonr([1, 2, 4], [1, 3, 2]) -> statistic=0.3273268353539885, pvalue=0.7877043849903435
  const three = pearson([1.0, 2.0, 4.0], [1.0, 3.0, 2.0]);
  close(three?.r, 0.3273268353539885, 'n=3 r');
  close(three?.p, 0.7877043849903435, 'n=3 p');
});

test('Spearman correlation with average ranks for ties', () => {
  // stats.spearmanr([1, 2, 2, 3, 5, 5, 5, 8], [3, 1, 4, 4, 6, 5, 9, 7]) ->
  //   statistic=0.8706358081229184, pvalue=0.0049007723083680866
  const r = spearman([1, 2, 2, 3, 5, 5, 5, 8], [3, 1, 4, 4, 6, 5, 9, 7]);
  close(r?.rho, 0.8706358081229184, 'rho');
  close(r?.p, 0.0049007723083680866, 'p');
  assert.equal(r?.n, 8);
  // stats.spearmanr([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 1.5, 2.5]) -> statistic=0.2, pvalue=0.7040000000000001
  const weak = spearman([1, 2, 3, 4, 5, 6], [2.0, 1.0, 4.0, 3.0, 1.5, 2.5]);
  close(weak?.rho, 0.2, 'weak rho');
  close(weak?.p, 0.7040000000000001, 'weak p');
  // stats.spearmanr([1, 2, 3, 4], [10, 20, 30, 40]) -> statistic=1.0, pvalue=0.0
  const perfect = spearman([1, 2, 3, 4], [10, 20, 30, 40]);
  close(perfect?.rho, 1, 'perfect rho');
  close(perfect?.p, 0, 'perfect p');
});

test('correlations drop pairs with a non-finite value before anything else', () => {
  const x = [1.0, Number.NaN, 2.1, 2.9, 4.2, 5.1, 4.0, 5.8, 7.3];
  const y = [2.3, 3.0, 2.9, 3.8, 3.6, 5.9, Infinity, 5.2, 7.9];
  // The same numbers as stats.pearsonr(PX, PY) above once the two broken pairs are gone.
  const p = pearson(x, y);
  assert.equal(p?.n, 7);
  close(p?.r, 0.9418746440053717, 'r');
  close(p?.p, 0.001516033336813692, 'p');
  const s = spearman(x, y);
  assert.equal(s?.n, 7);
  assert.deepEqual(s, spearman([1.0, 2.1, 2.9, 4.2, 5.1, 5.8, 7.3], [2.3, 2.9, 3.8, 3.6, 5.9, 5.2, 7.9]));
});

test('correlations: too few pairs or a constant side give null, mismatched lengths throw', () => {
  assert.equal(pearson([1, 2], [3, 4]), null);
  assert.equal(spearman([1, 2, Number.NaN], [3, 4, 5]), null);
  assert.equal(pearson([1, 2, 3, 4], [5, 5, 5, 5]), null);
  assert.equal(spearman([2, 2, 2], [1, 2, 3]), null);
  assert.throws(() => pearson([1, 2, 3], [1, 2]), RandwireError);
  assert.throws(() => spearman([1, 2, 3], [1, 2]), RandwireError);
});
