import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retrainConfig, retrainSeed, selectForRetrain } from '../../src/sweep/retrain.js';
import { DEFAULT_TRAIN_CONFIG } from '../../src/experiment/config.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import type { TrialRow, TrialStatus } from '../../src/sweep/store.js';

const row = (id: string, status: TrialStatus, val: number | null, testAcc: number | null): TrialRow =>
  ({ id, cell: `cell-${id}`, status, val_accuracy: val, test_accuracy: testAcc }) as TrialRow;

test('retrain selects the best finished trials by validation accuracy, never test; ties by trial id', () => {
  const rows = [
    row('a', 'done', 0.8, 0.99), // the best test accuracy, but not the best validation
    row('d', 'done', 0.9, 0.7),
    row('c', 'done', 0.85, 0.8),
    row('b', 'done', 0.85, 0.6), // ties with c on validation: b comes first by id
  ];
  const s = selectForRetrain(rows, new Set(), 3);
  assert.deepEqual(
    s.selected.map((c) => [c.rank, c.row.id]),
    [
      [1, 'd'],
      [2, 'b'],
      [3, 'c'],
    ],
  );
  assert.deepEqual(
    s.candidates.map((c) => c.row.id),
    ['d', 'b', 'c', 'a'],
  );
  // The order of the rows given changes nothing.
  assert.deepEqual(
    selectForRetrain([...rows].reverse(), new Set(), 3).selected.map((c) => c.row.id),
    ['d', 'b', 'c'],
  );
});

test('retrain candidates: finished trials with a validation accuracy that are not retrains themselves', () => {
  const rows = [
    row('queued', 'queued', null, null),
    row('running', 'running', 0.99, null),
    row('failed', 'failed', 0.99, null),
    row('noval', 'done', null, 0.99),
    row('nanval', 'done', Number.NaN, 0.99),
    row('retrain', 'done', 0.99, 0.99),
    row('plain', 'done', 0.5, 0.5),
  ];
  const s = selectForRetrain(rows, new Set(['retrain']), 5);
  assert.deepEqual(
    s.selected.map((c) => c.row.id),
    ['plain'],
    'fewer candidates than asked: all of them',
  );
  assert.equal(s.withoutValidation, 2);
  assert.deepEqual(selectForRetrain([row('noval', 'done', null, 0.9)], new Set(), 1), { selected: [], candidates: [], withoutValidation: 1 });
});

test('retrain seeds are fixed by the original seed and the seed index, new, and distinct', () => {
  assert.equal(retrainSeed(12345, 0), retrainSeed(12345, 0));
  const seeds = Array.from({ length: 50 }, (_, i) => retrainSeed(12345, i));
  assert.equal(new Set(seeds).size, 50);
  assert.ok(!seeds.includes(12345));
  assert.notEqual(retrainSeed(12346, 0), retrainSeed(12345, 0));
  assert.ok(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31));
});

test('a retrain config is the original under the new seed: same graphs, epochs and options', () => {
  const spec = parseSweepSpec(
    { name: 'r', nodes: 6, channels: 4, graphSeeds: 1, recipe: { epochs: 4 }, cells: [{ generator: 'er', grid: { p: [0.4] } }] },
    'r.json',
    false,
  );
  const original = planSweep(spec, false).trials[0]!.config;
  const c = retrainConfig(original, 777);
  assert.equal(c.seed, 777);
  assert.equal(c.model.seed, 777, 'the weights are drawn anew');
  assert.deepEqual(c.model.graphs, original.model.graphs);
  assert.deepEqual({ ...c, seed: original.seed, model: { ...c.model, seed: original.model.seed } }, original);
  assert.throws(
    () => retrainConfig({ ...DEFAULT_TRAIN_CONFIG, model: { ...DEFAULT_TRAIN_CONFIG.model, model: 'randwire', graphs: undefined } }, 1),
    /without graphs/,
  );
});

test("a halving sweep's trials carry its maximum epochs, and so do their retrains: the full budget", () => {
  const spec = parseSweepSpec(
    { name: 'h', nodes: 6, channels: 4, graphSeeds: 3, search: { strategy: 'halving', maxEpochs: 9 }, cells: [{ generator: 'er', grid: { p: [0.4] } }] },
    'h.json',
    false,
  );
  const original = planSweep(spec, false).trials[0]!.config;
  assert.equal(original.epochs, 9);
  assert.equal(retrainConfig(original, 5).epochs, 9);
});
