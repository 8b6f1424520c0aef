import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { RandwireError } from '../../src/core/errors.js';

const WIRING = 'results/sweep-wiring';

test('the committed sweep (no seeding field, made with seeding 1) plans the same trial ids, graphs and recipe as when it ran', () => {
  const plan = planSweep(parseSweepSpec(JSON.parse(readFileSync(`${WIRING}/sweep.json`, 'utf8')), 'sweep.json', false), false);
  const db = new Database(`${WIRING}/sweep.db`, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, position, graph_hashes, config FROM trials ORDER BY position').all() as Array<{
      id: string;
      position: number;
      graph_hashes: string;
      config: string;
    }>;
    assert.equal(plan.trials.length, rows.length);
    plan.trials.forEach((t, i) => {
      const row = rows[i]!;
      assert.equal(t.id, row.id, `trial ${i}`);
      assert.equal(t.graphHashes.join('/'), row.graph_hashes, `graphs of ${t.id}`);
      assert.equal(t.config.seeding, undefined, 'seeding 1 is not written into a trial config');
      assert.deepEqual(t.config, { ...JSON.parse(row.config), data: t.config.data }, `config of ${t.id}`);
    });
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'recipeHash'").get() as { value: string };
    assert.equal(plan.recipeHash, meta.value);
  } finally {
    db.close();
  }
});

test('a sweep says "recipe": {"seeding": 2} to use seeding 2; "seeding": 1 is the same sweep as none', () => {
  const spec = {
    name: 's',
    data: 'mnist',
    nodes: 8,
    channels: 4,
    graphSeeds: 2,
    cells: [
      { generator: 'rgg', list: [{ radius: 0.4 }] },
      { generator: 'er', random: { count: 2, ranges: { p: [0.1, 0.9] } } },
    ],
  };
  const plan = (recipe: object) => planSweep(parseSweepSpec({ ...spec, recipe }, 'test', false), false);
  const none = plan({});
  const one = plan({ seeding: 1 });
  const two = plan({ seeding: 2 });
  assert.deepEqual(
    one.trials.map((t) => t.id),
    none.trials.map((t) => t.id),
  );
  assert.equal(one.recipeHash, none.recipeHash);
  assert.ok(
    two.trials.every((t) => !none.trials.some((n) => n.id === t.id)),
    'new ids',
  );
  assert.notEqual(two.recipeHash, none.recipeHash);
  // The graphs and the random cells' draws follow the seeding, and say so.
  assert.notDeepEqual(two.trials[0]!.graphHashes, none.trials[0]!.graphHashes);
  assert.notDeepEqual(
    two.cells.map((c) => c.params),
    none.cells.map((c) => c.params),
  );
  assert.equal(two.trials[0]!.config.seeding, 2);
  assert.ok(two.trials[0]!.config.model.graphs!.every((g) => g.seeding === 2));
  assert.ok(none.trials[0]!.config.model.graphs!.every((g) => !('seeding' in g)));
  assert.throws(
    () => plan({ seeding: 3 }),
    (e: unknown) => e instanceof RandwireError && /recipe\.seeding/.test(e.message),
  );
});
