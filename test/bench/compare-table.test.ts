import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTableRow, round2 } from '../../bench/compare-table.js';
import { median } from '../../bench/cases.js';

test("bench:compare's table shows at most two decimals, not a binary float's tail", () => {
  const twoRounds = median([201.9, 202.18]);
  assert.notEqual(String(twoRounds), '202.04', 'the case this guards against: a mean that does not print round');
  assert.equal(round2(twoRounds), 202.04);
  const row = compareTableRow({
    case: 'tinycnn',
    batch: 128,
    busyProcesses: 0,
    rounds: 2,
    train: { randwire: twoRounds, pytorch: 0.1 + 0.2, ratio: 1.005 },
    infer: { randwire: 1000, pytorch: 2e3 / 3, ratio: 1.5 },
    gflops: { randwire: 12.345678, pytorch: 7, sgemm: 0 },
  });
  assert.equal(row, '| tinycnn | 128 | 202.04 | 0.3 | 1 | 1000 | 666.67 | 1.5 | 12.35 / 7 / 0 |');
});
