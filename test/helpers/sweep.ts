import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SweepStore } from '../../src/sweep/store.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { writeTinyMnist } from './tiny-data.js';

/**
 * The queue fault tests' sweep: tiny MNIST in `tmp`/data and a sweep file of small ER(0.3) and
 * TinyCNN trials (`cells`, 2 graph seeds by default), `epochs` each. Returns the data folder and the file.
 */
export function writeQueueSweep(tmp: string, name: string, epochs: number, more: Record<string, unknown> = {}): { data: string; specFile: string } {
  const data = writeTinyMnist(join(tmp, 'data'), 300, 80);
  const specFile = join(tmp, 'sweep.json');
  writeFileSync(
    specFile,
    JSON.stringify({
      name,
      data,
      recipe: { epochs, batchSize: 32, lr: 0.004, trainLimit: 256, valSize: 32, testLimit: 64 },
      nodes: 6,
      channels: 4,
      graphSeeds: 2,
      cells: [{ generator: 'er', grid: { p: [0.3] } }, { model: 'tinycnn' }],
      ...more,
    }),
  );
  return { data, specFile };
}

/** Read a sweep's store while its coordinator writes it (WAL); undefined before the tables exist. */
export function peekStore<T>(dbPath: string, f: (s: SweepStore) => T): T | undefined {
  if (!existsSync(dbPath)) return undefined;
  let s: SweepStore | undefined;
  try {
    s = SweepStore.open(dbPath, true);
    return f(s);
  } catch (e) {
    // Only a store whose tables the coordinator has not made yet; a mistyped query must fail the test.
    if ((e as { code?: string }).code === 'SQLITE_ERROR' && /no such table/.test((e as Error).message)) return undefined;
    throw e;
  } finally {
    s?.close();
  }
}

/** Rows of `sql` in the sweep folder's store while its coordinator writes it; none before it or its tables exist. */
export function querySweep<T>(dir: string, sql: string): T[] {
  return peekStore(join(dir, SWEEP_FILES.db), (s) => s.db.prepare(sql).all() as T[]) ?? [];
}

/** Every one of the sweep's `trials` trials is done, with epochs 1 to `epochs` stored once each. */
export function assertEveryTrialDoneOnce(dbPath: string, trials: number, epochs: number): void {
  const seen = peekStore(dbPath, (s) =>
    s.trials().map((t) => ({
      id: t.id,
      status: t.status,
      epochs: (s.db.prepare('SELECT epoch FROM epochs WHERE trial_id = ? ORDER BY epoch').all(t.id) as Array<{ epoch: number }>).map((e) => e.epoch),
    })),
  );
  assert.ok(seen, `${dbPath} holds no sweep`);
  assert.equal(seen.length, trials);
  assert.ok(
    seen.every((t) => t.status === 'done'),
    JSON.stringify(seen.map((t) => [t.id, t.status])),
  );
  for (const t of seen)
    assert.deepEqual(
      t.epochs,
      Array.from({ length: epochs }, (_, i) => i + 1),
      t.id,
    );
}

/** The report's numbers without wall times (and other `drop` columns), which differ from run to run. */
export function reportNumbers(dir: string, drop: string[] = []): Record<string, string> {
  const csv = (name: string, without: string[]): string => {
    const [head, ...rows] = readFileSync(join(dir, SWEEP_FILES.report, name), 'utf8')
      .trim()
      .split('\n');
    const cols = head!.split(',');
    const keep = cols.map((c, i) => (without.includes(c) ? -1 : i)).filter((i) => i >= 0);
    // Split on commas outside quoted fields (the params column is quoted JSON).
    const split = (r: string): string[] => r.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));
    return [keep.map((i) => cols[i]).join(','), ...rows.map((r) => keep.map((i) => split(r)[i]).join(','))].join('\n');
  };
  return {
    table: csv('table.csv', ['seconds_mean', ...drop]),
    trials: csv('trials.csv', ['seconds', ...drop]),
    significance: readFileSync(join(dir, SWEEP_FILES.report, 'significance.csv'), 'utf8'),
    correlations: readFileSync(join(dir, SWEEP_FILES.report, 'correlations.csv'), 'utf8'),
  };
}
