import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';
import { runCli } from '../helpers/cli.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';

// A real halving search of 5 tiny trials (eta 3, 1..3 epochs: 3 trials at 1 epoch -> 1 at 3; 2 at 3).
const tmp = tempFolder('randwire-search-report-run-');
const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
const spec = {
  name: 'halving',
  data,
  recipe: { epochs: 3, trainLimit: 64, valSize: 16, testLimit: 32, batchSize: 16 },
  graphSeeds: 5,
  cells: [{ model: 'tinycnn' }],
  search: { strategy: 'halving', eta: 3, minEpochs: 1 },
};
writeFileSync(join(tmp, 'halving.json'), JSON.stringify(spec));

const csv = (file: string): Array<Record<string, string>> => {
  const [head, ...rows] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
};

test("a halving search run by `sweep run`: its report's rung table and anytime curve agree with the store it trained into", { timeout: 1_200_000 }, () => {
  const dir = join(tmp, 'sweep');
  const r = runCli(['sweep', 'run', join(tmp, 'halving.json'), '--out', dir, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  const db = new Database(join(dir, SWEEP_FILES.db), { readonly: true });
  const epochs = db.prepare('SELECT COUNT(*) AS n, SUM(seconds) AS s FROM epochs').get() as { n: number; s: number };
  const rungs = db
    .prepare('SELECT bracket, rung, COUNT(*) AS results, MAX(val_accuracy) AS best FROM search_rungs GROUP BY bracket, rung ORDER BY bracket, rung')
    .all() as Array<{ bracket: number; rung: number; results: number; best: number }>;
  const decided = db
    .prepare("SELECT bracket, rung, SUM(decision = 'promoted') AS promoted, SUM(decision = 'stopped') AS stopped FROM search_decisions GROUP BY bracket, rung")
    .all() as Array<{ bracket: number; rung: number; promoted: number; stopped: number }>;
  db.close();
  // Every epoch trained counts, those of the two trials stopped after one epoch too: 3 x 1 + 1 x 2 + 2 x 3.
  assert.equal(epochs.n, 11);
  const curve = csv(join(dir, 'report', 'anytime.csv'));
  assert.equal(Number(curve.at(-1)!.cumulative_epochs), 11);
  // Bookkeeping, not speed: the curve's seconds are the store's, whatever the machine took.
  assert.ok(Math.abs(Number(curve.at(-1)!.cumulative_seconds) - epochs.s) < 1e-9 * epochs.s, `${curve.at(-1)!.cumulative_seconds} vs ${epochs.s}`);
  assert.equal(Number(curve.at(-1)!.best_val_accuracy), Math.max(...rungs.map((x) => x.best)));
  const table = csv(join(dir, 'report', 'rungs.csv'));
  assert.deepEqual(
    table.map((x) => [x.bracket, x.rung, x.epochs, x.admitted, x.results]),
    [
      ['0', '0', '1', '3', '3'],
      ['0', '1', '3', '1', '1'],
      ['1', '0', '3', '2', '2'],
    ],
  );
  for (const row of table) {
    const stored = rungs.find((x) => String(x.bracket) === row.bracket && String(x.rung) === row.rung)!;
    const d = decided.find((x) => String(x.bracket) === row.bracket && String(x.rung) === row.rung);
    assert.equal(Number(row.bestValAccuracy), stored.best);
    assert.deepEqual([Number(row.promoted), Number(row.stopped)], [d?.promoted ?? 0, d?.stopped ?? 0]);
  }
  assert.match(readFileSync(join(dir, 'report', 'search.md'), 'utf8'), /^# Sweep 'halving': search \(halving\)\n\n5 trials trained 11 epochs/);
});
