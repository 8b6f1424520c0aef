import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { tempFolder } from '../helpers/folder.js';
import { join } from 'node:path';
import { SweepStore } from '../../src/sweep/store.js';
import { SEARCH_SCHEMA_VERSION, SearchStore } from '../../src/sweep/search-store.js';
import { assignBrackets, planHalving } from '../../src/search/halving-plan.js';
import { simulate } from '../search/halving-sim.js';

const tmp = tempFolder('randwire-search-store-');
const committed = 'results/sweep-wiring/sweep.db';

/** Everything the sweep's own tables hold, for comparing a store before and after. */
function contents(store: SweepStore): string {
  return JSON.stringify([store.trials(), store.epochs(), store.graphStats(), store.db.prepare('SELECT * FROM failures ORDER BY rowid').all()]);
}

function copyOfWiring(name: string): string {
  const path = join(tmp, name);
  copyFileSync(committed, path);
  return path;
}

test('the migration adds the search tables to an existing sweep.db and leaves its rows as they were', () => {
  const original = SweepStore.open(committed, true);
  const before = contents(original);
  // Read-only (sweep status, serve, report): no tables, no rows, nothing written.
  const readOnly = SearchStore.of(original);
  assert.deepEqual([readOnly.rungResults(), readOnly.decisions()], [[], []]);
  assert.equal(original.getMeta('search_schema_version'), undefined);
  original.close();

  const path = copyOfWiring('migrated.db');
  const store = SweepStore.open(path);
  const search = SearchStore.of(store);
  assert.equal(store.getMeta('search_schema_version'), String(SEARCH_SCHEMA_VERSION));
  assert.equal(contents(store), before);
  const [a, b] = store.trials();
  assert.ok(a && b);
  assert.equal(search.recordRungResult({ trialId: a.id, bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.8 }), true);
  // The first result stays; NaN (a diverged trial) is stored as "failed" (null).
  assert.equal(search.recordRungResult({ trialId: a.id, bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.1 }), false);
  assert.equal(search.recordRungResult({ trialId: b.id, bracket: 0, rung: 0, epoch: 1, valAccuracy: Number.NaN }), true);
  assert.equal(
    search.recordDecisions([
      { bracket: 0, rung: 0, trialId: a.id, decision: 'promoted' },
      { bracket: 0, rung: 0, trialId: b.id, decision: 'stopped' },
    ]),
    2,
  );
  assert.equal(search.recordDecisions([{ bracket: 0, rung: 0, trialId: b.id, decision: 'stopped' }]), 0);
  store.close();

  // Opened again (a new coordinator, and a reader that knows nothing of searches).
  const again = SweepStore.open(path);
  const rows = SearchStore.of(again);
  assert.deepEqual(
    rows
      .rungResults()
      .map((r) => [r.trialId, r.valAccuracy])
      .sort(),
    [
      [a.id, 0.8],
      [b.id, null],
    ].sort(),
  );
  assert.deepEqual(
    rows.decisions().map((d) => [d.seq, d.trialId, d.decision]),
    [
      [1, a.id, 'promoted'],
      [2, b.id, 'stopped'],
    ],
  );
  assert.equal(contents(again), before);
  again.close();
  const reader = SweepStore.open(path, true);
  assert.equal(contents(reader), before);
  assert.equal(SearchStore.of(reader).decisions().length, 2);
  reader.close();
});

test('a store from a newer randwire is refused in one line; changed search settings are refused once rows exist', () => {
  const path = copyOfWiring('newer.db');
  const store = SweepStore.open(path);
  store.setMeta('search_schema_version', String(SEARCH_SCHEMA_VERSION + 1));
  assert.throws(
    () => SearchStore.of(store),
    new RegExp(
      `^RandwireError: sweep: sweep\\.db has search tables of version ${SEARCH_SCHEMA_VERSION + 1}; this randwire knows up to ${SEARCH_SCHEMA_VERSION} \\(update randwire\\)$`,
      'm',
    ),
  );
  store.setMeta('search_schema_version', '0');
  const search = SearchStore.of(store);
  search.bindSettings('{"eta":3}');
  search.bindSettings('{"eta":3}');
  // No rows yet: a changed section is simply the section.
  search.bindSettings('{"eta":2}');
  search.recordRungResult({ trialId: store.trials()[0]!.id, bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.5 });
  search.bindSettings('{"eta":2}');
  assert.throws(
    () => search.bindSettings('{"eta":3}'),
    /^RandwireError: sweep: the search section \(or the trials it plans\) changed after the search started; /m,
  );
  store.close();
});

test("a search's rows survive the store: read back, the planner has nothing left to decide and gives the same work", () => {
  const path = copyOfWiring('search.db');
  const store = SweepStore.open(path);
  const ids = store
    .trials()
    .slice(0, 40)
    .map((t) => t.id);
  const plan = assignBrackets(ids, { eta: 3, minEpochs: 1, maxEpochs: 9 });
  const sim = simulate(plan, { workers: 2, seed: 5 });
  const search = SearchStore.of(store);
  // Half the results, and the decisions they allowed, then the rest.
  const half = Math.floor(sim.results.length / 2);
  for (const r of sim.results.slice(0, half)) search.recordRungResult(r);
  search.recordDecisions(planHalving(plan, search.rungResults(), search.decisions()).decisions);
  const midway = planHalving(plan, sim.results.slice(0, half), []);
  assert.deepEqual(planHalving(plan, search.rungResults(), search.decisions()), { ...midway, decisions: [] });
  for (const r of sim.results.slice(half)) search.recordRungResult(r);
  search.recordDecisions(planHalving(plan, search.rungResults(), search.decisions()).decisions);
  const end = planHalving(plan, search.rungResults(), search.decisions());
  assert.deepEqual(end, { decisions: [], work: [], finished: true });
  assert.equal(search.decisions().length, sim.decisions.length);
  store.close();
});
