// The statistics layer of the sweep report: pure functions of plain number arrays, checked
// against scipy 1.17. The distribution helpers behind them (student-t, normal, incomplete-beta,
// ranks) stay internal so their precision trade-offs can change without touching callers.
export { describe, type Description } from './describe.js';
export { welchTTest, mannWhitneyU, type WelchResult, type MannWhitneyResult } from './two-sample-tests.js';
export { holm } from './holm.js';
export { pearson, spearman, type PearsonResult, type SpearmanResult } from './correlation.js';
