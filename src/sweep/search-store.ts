import type Database from 'better-sqlite3';
import { RandwireError } from '../core/errors.js';
import type { DecisionRow, HalvingDecision, RungResultRow } from '../search/halving-plan.js';
import type { SweepStore } from './store.js';

/**
 * The search's state in sweep.db, beside the sweep's own tables: every rung result and every
 * decision is a row, so a coordinator that died is replaced by one that reads them. The tables are
 * added by a migration when a store is opened for writing; a sweep.db without them (every sweep
 * before searches) reads as a search with no rows, and code that knows nothing of them ignores them.
 */

/** Bump with a migration step below when the search tables change. */
export const SEARCH_SCHEMA_VERSION = 2;
const VERSION_KEY = 'search_schema_version';
/** The search settings the rows were made under (canonical JSON). */
const SETTINGS_KEY = 'search_settings';

const MIGRATIONS: Record<number, string> = {
  1: `
CREATE TABLE IF NOT EXISTS search_rungs (
  trial_id TEXT NOT NULL REFERENCES trials(id), bracket INTEGER NOT NULL, rung INTEGER NOT NULL, epoch INTEGER NOT NULL,
  val_accuracy REAL, recorded_at TEXT NOT NULL, PRIMARY KEY (bracket, rung, trial_id));
CREATE TABLE IF NOT EXISTS search_decisions (
  seq INTEGER PRIMARY KEY, bracket INTEGER NOT NULL, rung INTEGER NOT NULL, trial_id TEXT NOT NULL REFERENCES trials(id),
  decision TEXT NOT NULL CHECK (decision IN ('promoted', 'stopped')), decided_at TEXT NOT NULL, UNIQUE (bracket, rung, trial_id));
`,
  // Trials a search adds beyond the plan (evolution's children, retrains), with where they came from.
  2: `
CREATE TABLE IF NOT EXISTS search_origins (
  trial_id TEXT PRIMARY KEY REFERENCES trials(id), seq INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('child', 'retrain')),
  parent_id TEXT REFERENCES trials(id), detail TEXT NOT NULL, created_at TEXT NOT NULL);
`,
};

export interface StoredDecision extends DecisionRow {
  /** 1, 2, 3, ... in the order the decisions were stored. */
  seq: number;
  decidedAt: string;
}

export interface StoredRungResult extends RungResultRow {
  recordedAt: string;
}

const now = (): string => new Date().toISOString();

export function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Bring the search tables of a writable store up to SEARCH_SCHEMA_VERSION, in one transaction. */
function migrate(store: SweepStore): void {
  const found = Number(store.getMeta(VERSION_KEY) ?? 0);
  if (found > SEARCH_SCHEMA_VERSION) {
    throw new RandwireError('sweep', `sweep.db has search tables of version ${found}; this randwire knows up to ${SEARCH_SCHEMA_VERSION} (update randwire)`);
  }
  if (found === SEARCH_SCHEMA_VERSION) return;
  store.db.transaction(() => {
    for (let v = found + 1; v <= SEARCH_SCHEMA_VERSION; v++) store.db.exec(MIGRATIONS[v]!);
    store.setMeta(VERSION_KEY, String(SEARCH_SCHEMA_VERSION));
  })();
}

export class SearchStore {
  private constructor(
    private readonly store: SweepStore,
    private readonly tables: boolean,
  ) {}

  /** The search rows of a sweep store; a writable store gets the tables if it lacks them. */
  static of(store: SweepStore): SearchStore {
    if (!store.db.readonly) migrate(store);
    return new SearchStore(store, hasTable(store.db, 'search_rungs') && hasTable(store.db, 'search_decisions'));
  }

  private get db(): Database.Database {
    return this.store.db;
  }

  /**
   * Tie the rows to the search settings (and plan) they belong to: the first call records them; a later
   * call with other settings is refused once rows exist, since the rows' brackets would mean other trials.
   */
  bindSettings(settingsJson: string): void {
    const before = this.store.getMeta(SETTINGS_KEY);
    if (before === settingsJson) return;
    if (before !== undefined && this.rungResults().length + this.decisions().length > 0) {
      throw new RandwireError(
        'sweep',
        'the search section (or the trials it plans) changed after the search started; put the old one back or start a new sweep folder',
      );
    }
    this.store.setMeta(SETTINGS_KEY, settingsJson);
  }

  rungResults(): StoredRungResult[] {
    if (!this.tables) return [];
    const rows = this.db.prepare('SELECT * FROM search_rungs ORDER BY bracket, rung, trial_id').all() as Array<{
      trial_id: string;
      bracket: number;
      rung: number;
      epoch: number;
      val_accuracy: number | null;
      recorded_at: string;
    }>;
    return rows.map((r) => ({ trialId: r.trial_id, bracket: r.bracket, rung: r.rung, epoch: r.epoch, valAccuracy: r.val_accuracy, recordedAt: r.recorded_at }));
  }

  decisions(): StoredDecision[] {
    if (!this.tables) return [];
    const rows = this.db.prepare('SELECT * FROM search_decisions ORDER BY seq').all() as Array<{
      seq: number;
      bracket: number;
      rung: number;
      trial_id: string;
      decision: HalvingDecision;
      decided_at: string;
    }>;
    return rows.map((r) => ({ seq: r.seq, bracket: r.bracket, rung: r.rung, trialId: r.trial_id, decision: r.decision, decidedAt: r.decided_at }));
  }

  /**
   * A trial's result at a rung: its validation accuracy after the rung's epoch (null: failed for good).
   * The first result stays (an exact continuation trains the same epoch alike); returns whether it was new.
   */
  recordRungResult(r: RungResultRow): boolean {
    const accuracy = r.valAccuracy === null || Number.isNaN(r.valAccuracy) ? null : r.valAccuracy;
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO search_rungs (trial_id, bracket, rung, epoch, val_accuracy, recorded_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(r.trialId, r.bracket, r.rung, r.epoch, accuracy, now()).changes === 1
    );
  }

  /** Decisions in the planner's order, all or none; one already stored is not stored again. Returns how many were new. */
  recordDecisions(rows: readonly DecisionRow[]): number {
    const insert = this.db.prepare('INSERT OR IGNORE INTO search_decisions (bracket, rung, trial_id, decision, decided_at) VALUES (?, ?, ?, ?, ?)');
    const at = now();
    return this.db.transaction(() => rows.reduce((n, d) => n + insert.run(d.bracket, d.rung, d.trialId, d.decision, at).changes, 0))();
  }
}
