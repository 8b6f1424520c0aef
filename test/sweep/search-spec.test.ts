import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tempFolder } from '../helpers/folder.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/cli.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { halvingSettings } from '../../src/sweep/search-spec.js';

const tmp = tempFolder('randwire-search-spec-');
const file = (name: string, spec: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(spec));
  return p;
};
const base = { name: 'search', nodes: 8, channels: 4, graphSeeds: 2, recipe: { epochs: 9 }, cells: [{ generator: 'ws', grid: { k: [2], p: [0.5] } }] };

test('the committed wiring sweep keeps its trial ids: without a search section, and with grid or a default halving', () => {
  const wiring = JSON.parse(readFileSync('results/sweep-wiring/sweep.json', 'utf8')) as Record<string, unknown>;
  const db = new Database('results/sweep-wiring/sweep.db', { readonly: true });
  const stored = (db.prepare('SELECT id FROM trials ORDER BY position').all() as Array<{ id: string }>).map((r) => r.id);
  db.close();
  assert.equal(stored.length, 270);
  const ids = (spec: unknown): string[] => planSweep(parseSweepSpec(spec, 'wiring', false), false).trials.map((t) => t.id);
  assert.deepEqual(ids(wiring), stored);
  assert.deepEqual(ids({ ...wiring, search: { strategy: 'grid' } }), stored);
  // maxEpochs defaults to the recipe's epochs, so the trials are the same ones trained further or stopped sooner.
  assert.deepEqual(ids({ ...wiring, search: { strategy: 'halving', minEpochs: 1 } }), stored);
});

test("halving's defaults: eta 3, min 1 epoch, max the recipe's (or its preset's) epochs; maxEpochs sets the trials' schedule", () => {
  assert.deepEqual(halvingSettings(parseSweepSpec({ ...base, search: { strategy: 'halving' } }, 't')), {
    eta: 3,
    minEpochs: 1,
    maxEpochs: 9,
    objective: 'accuracy',
  });
  const preset = parseSweepSpec({ ...base, recipe: { preset: 'quick' }, search: { strategy: 'halving' } }, 't', false);
  assert.equal(halvingSettings(preset).maxEpochs, 2);
  const { recipe, ...noRecipe } = base;
  assert.ok(recipe);
  const longer = planSweep(parseSweepSpec({ ...noRecipe, search: { strategy: 'halving', maxEpochs: 27, brackets: 2 } }, 't'));
  assert.ok(longer.trials.every((t) => t.config.epochs === 27));
  assert.throws(
    () => parseSweepSpec({ ...base, search: { strategy: 'halving', maxEpochs: 27 } }, 't'),
    /search: maxEpochs \(27\) differs from recipe\.epochs \(9\); give one of them/,
  );
});

test('bad search sections: every problem one line, all at once, nothing planned', () => {
  const cases: Array<[unknown, RegExp[]]> = [
    [
      { ...base, recipe: { epochs: 3 }, search: { strategy: 'halving', eta: 1, minEpochs: 9, cost: 'params' } },
      [
        /search: eta must be an integer >= 2, got 1/,
        /search: minEpochs \(9\) must not exceed maxEpochs \(3\)/,
        /search: cost 'params' is used only by objective 'pareto'/,
      ],
    ],
    [
      { ...base, search: { strategy: 'halving', eta: 3, minEpochs: 1, brackets: 4 } },
      [/search: brackets must be an integer from 1 to 3 for epochs 1\.\.9 and eta 3, got 4/],
    ],
    [
      { ...base, search: { strategy: 'evolution', population: 3, sample: 5, window: 0, children: 4 } },
      [/search: sample \(5\) must not exceed population \(3\)/, /search: window must be an integer >= 1, got 0/],
    ],
    // The shape is zod's: an unknown strategy is named with the other shape problems.
    [
      { ...base, graphSeeds: -1, search: { strategy: 'bayes' } },
      [/search\.strategy: Invalid discriminator value\. Expected 'grid' \| 'random' \| 'halving' \| 'evolution'/, /graphSeeds/],
    ],
    [
      { ...base, search: { strategy: 'halving', rungs: 3, budget: {} } },
      [/search: Unrecognized key: "rungs"/, /search\.budget: give epochs, trials or minutes/],
    ],
  ];
  cases.forEach(([spec, expected], i) => {
    const r = runCli(['sweep', 'plan', file(`bad-${i}.json`, spec)]);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0]!, /has problems:$/);
    assert.equal(lines.length, expected.length + 1, r.stderr);
    for (const e of expected)
      assert.ok(
        lines.some((l) => e.test(l)),
        `${e} in\n${r.stderr}`,
      );
    assert.equal(r.stdout, '');
  });
});

test('sweep plan prints the brackets of a halving search: which trials train to which rung', () => {
  const r = runCli(['sweep', 'plan', file('brackets.json', { ...base, graphSeeds: 17, search: { strategy: 'halving' } })]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('halving '));
  assert.deepEqual(lines, [
    'halving bracket 0 (s=2): 9 x 1 ep -> 3 x 3 ep -> 1 x 9 ep',
    'halving bracket 1 (s=1): 5 x 3 ep -> 1 x 9 ep',
    'halving bracket 2 (s=0): 3 x 9 ep',
  ]);
});

test('an evolution search without children or an epochs/trials budget is refused at parse in one line, as is a budget a plain sweep would ignore; nothing is created', () => {
  const out = join(tmp, 'evolution-run');
  const r = runCli([
    'sweep',
    'run',
    file('evolution.json', { ...base, search: { strategy: 'evolution', population: 2, sample: 2, budget: { minutes: 5 } } }),
    '--out',
    out,
  ]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /search: give evolution a number of children \(children\) or a budget/);
  assert.match(r.stderr, /search: budget\.minutes is not implemented for evolution yet/);
  assert.equal(existsSync(out), false);
});
