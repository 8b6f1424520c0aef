import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { evolutionSettings, evolutionSettingsJson } from '../../src/sweep/evolution-setup.js';

const base = { name: 'evo', data: 'mnist', nodes: 6, channels: 4, graphSeeds: 4, recipe: { epochs: 3 }, cells: [{ generator: 'er', grid: { p: [0.4] } }] };
const planOf = (search: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  planSweep(parseSweepSpec({ ...base, ...extra, search: { strategy: 'evolution', population: 4, sample: 2, ...search } }, 'evo', false), false);

test('how many children: search.children, or what budget.trials / budget.epochs leave after the population, whichever is least', () => {
  assert.equal(evolutionSettings(planOf({ children: 10 })).children, 10);
  assert.equal(evolutionSettings(planOf({ budget: { trials: 9 } })).children, 5);
  // 30 epochs of 3-epoch members: 10 members, 4 of them the initial population.
  assert.equal(evolutionSettings(planOf({ budget: { epochs: 31 } })).children, 6);
  assert.equal(evolutionSettings(planOf({ children: 10, budget: { trials: 7, epochs: 300 } })).children, 3);
  const s = evolutionSettings(planOf({ children: 2 }));
  assert.deepEqual([s.window, s.objective, s.cost, s.seed, s.seeding, s.mutations.length], [1, 'accuracy', 'flops', 1, 1, 4]);
});

test('the stored children are bound to every setting but their number (more children continue the search)', () => {
  const json = (search: Record<string, unknown>) => {
    const p = planOf(search);
    return evolutionSettingsJson(p, evolutionSettings(p));
  };
  assert.equal(json({ children: 2 }), json({ children: 9 }));
  assert.notEqual(json({ children: 2 }), json({ children: 2, sample: 3 }));
  assert.notEqual(json({ children: 2 }), json({ children: 2, window: 2 }));
  assert.notEqual(json({ children: 2 }), json({ children: 2, objective: 'pareto' }));
});

test('what evolution cannot start from is refused in one line', () => {
  assert.throws(
    () => evolutionSettings(planOf({ budget: { trials: 4 } })),
    /^RandwireError: sweep: search: the budget leaves no child after the initial population of 4 \(each member trains 3 epochs\)$/,
  );
  assert.throws(
    () => evolutionSettings(planOf({ population: 5, children: 2 })),
    /search: population 5 needs that many planned trials to start from, the plan has 4; add graph seeds or cells/,
  );
  assert.throws(
    () => evolutionSettings(planOf({ children: 2 }, { cells: [{ model: 'tinycnn' }] })),
    /search: evolution mutates stage graphs, and trial [0-9a-f]{12} \(tinycnn\) has none; use RandWire cells/,
  );
  assert.throws(
    () => evolutionSettings(planOf({ children: 2 }, { recipe: { epochs: 3, valSize: 0 } })),
    /search: evolution selects by validation accuracy; recipe\.valSize must be > 0/,
  );
  assert.throws(
    () => evolutionSettings(planOf({ children: 10_000 })),
    /search: population \+ children is 10,004, more than the 10,000 trials a sweep may hold/,
  );
});
