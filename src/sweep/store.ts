import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { graphStats } from '../graph/stats.js';
import type { EpochMetrics } from '../train/state.js';
import type { RunSummary } from '../experiment/run-files.js';
import { canonicalJson, type PlannedTrial } from './plan.js';
import { GRAPH_STAT_COLUMNS } from './graph-stat-columns.js';
import { damagedStore, guardStore, quickCheckProblem } from './store-errors.js';
import { TRIAL_STATUSES, type TrialRow, type EpochRow, type GraphStatRow } from './store-rows.js';

/** The graph statistics kept per stage, as columns (declared in graph-stat-columns.ts). */
export { GRAPH_STAT_COLUMNS };

export { TRIAL_STATUSES, type TrialStatus, type TrialRow, type EpochRow, type GraphStatRow } from './store-rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
  id TEXT PRIMARY KEY, position INTEGER NOT NULL, cell TEXT NOT NULL, family TEXT NOT NULL, model TEXT NOT NULL,
  generator TEXT, params TEXT NOT NULL, nodes INTEGER NOT NULL, channels INTEGER NOT NULL,
  graph_seed INTEGER NOT NULL, train_seed INTEGER NOT NULL, seed INTEGER NOT NULL,
  model_params INTEGER NOT NULL, multiply_adds INTEGER NOT NULL, graph_hashes TEXT NOT NULL, same_graphs_as TEXT,
  out_of_budget INTEGER NOT NULL, config TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN (${TRIAL_STATUSES.map((s) => `'${s}'`).join(',')})),
  attempts INTEGER NOT NULL DEFAULT 0, error TEXT, worker_pid INTEGER, worker_host TEXT,
  started_at TEXT, finished_at TEXT, heartbeat_at TEXT,
  test_accuracy REAL, test_loss REAL, val_accuracy REAL, val_loss REAL, epochs INTEGER, seconds REAL, images_per_sec REAL);
CREATE TABLE IF NOT EXISTS epochs (
  trial_id TEXT NOT NULL REFERENCES trials(id), epoch INTEGER NOT NULL, train_loss REAL, train_accuracy REAL,
  val_loss REAL, val_accuracy REAL, lr REAL, seconds REAL, images_per_sec REAL, PRIMARY KEY (trial_id, epoch));
CREATE TABLE IF NOT EXISTS graph_stats (
  trial_id TEXT NOT NULL REFERENCES trials(id), stage INTEGER NOT NULL,
  ${Object.keys(GRAPH_STAT_COLUMNS)
    .map((c) => `${c} REAL`)
    .join(', ')}, PRIMARY KEY (trial_id, stage));
CREATE TABLE IF NOT EXISTS failures (trial_id TEXT NOT NULL REFERENCES trials(id), attempt INTEGER NOT NULL, error TEXT NOT NULL, at TEXT NOT NULL);
`;

const now = (): string => new Date().toISOString();

/** The sweep's SQLite store. One process writes (the coordinator); WAL lets `status` read meanwhile. */
export class SweepStore {
  readonly db: Database.Database;
  /** The file as messages name it (the server shows paths relative to its folder). */
  readonly shownAs: string;
  private readonly path: string;

  private constructor(db: Database.Database, path: string, shownAs: string) {
    this.db = db;
    this.path = path;
    this.shownAs = shownAs;
  }

  /**
   * Open (or create) a store. A writer first checks the file is sound (quick_check), so nothing
   * is written into a damaged file; SQLite's errors become one line naming the file and the cause.
   */
  static open(path: string, readonly = false, shownAs = path): SweepStore {
    let db: Database.Database | undefined;
    try {
      return guardStore(
        shownAs,
        undefined,
        () => {
          db = new Database(path, { readonly, fileMustExist: readonly });
          if (!readonly) {
            const problem = quickCheckProblem(db);
            if (problem) throw damagedStore(shownAs, problem);
            db.pragma('journal_mode = WAL');
            db.pragma('foreign_keys = ON');
            db.exec(SCHEMA);
          }
          db.pragma('busy_timeout = 5000');
          return new SweepStore(db, path, shownAs);
        },
        path,
      );
    } catch (e) {
      db?.close();
      throw e;
    }
  }

  /** Refuse a file whose structure SQLite finds damaged (readers: before a report is made from it). */
  checkIntact(): void {
    this.guarded(() => {
      const problem = quickCheckProblem(this.db);
      if (problem) throw damagedStore(this.shownAs, problem);
    });
  }

  /** Run `f` on the database; what SQLite says about the file becomes one line (store-errors.ts). */
  guarded<T>(f: () => T): T {
    return guardStore(this.shownAs, this.db, f, this.path);
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    return this.guarded(() => (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value);
  }

  setMeta(key: string, value: string): void {
    this.guarded(() => {
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    });
  }

  /** Add the plan's new trials (with their graph statistics) and put every trial at its planned position. */
  syncTrials(trials: PlannedTrial[]): number {
    return this.guarded(() => {
      const insert = this.db
        .prepare(`INSERT OR IGNORE INTO trials (id, position, cell, family, model, generator, params, nodes, channels, graph_seed, train_seed, seed,
        model_params, multiply_adds, graph_hashes, same_graphs_as, out_of_budget, config)
        VALUES (@id, @position, @cell, @family, @model, @generator, @params, @nodes, @channels, @graph_seed, @train_seed, @seed,
        @model_params, @multiply_adds, @graph_hashes, @same_graphs_as, @out_of_budget, @config)`);
      const position = this.db.prepare('UPDATE trials SET position = ?, cell = ? WHERE id = ?');
      const stat = this.db.prepare(`INSERT OR REPLACE INTO graph_stats (trial_id, stage, ${Object.keys(GRAPH_STAT_COLUMNS).join(', ')})
        VALUES (@trial_id, @stage, ${Object.keys(GRAPH_STAT_COLUMNS)
          .map((c) => `@${c}`)
          .join(', ')})`);
      let added = 0;
      this.db.transaction(() => {
        for (const t of trials) {
          const r = insert.run({
            id: t.id,
            position: t.position,
            cell: t.cell.label,
            family: t.cell.family,
            model: t.cell.model,
            generator: t.cell.generator ?? null,
            params: canonicalJson(t.cell.params),
            nodes: t.cell.nodes,
            channels: t.cell.channels,
            graph_seed: t.graphSeed,
            train_seed: t.trainSeed,
            seed: t.config.seed,
            model_params: t.params,
            multiply_adds: t.multiplyAdds,
            graph_hashes: t.graphHashes.join('/'),
            same_graphs_as: t.sameGraphsAs ?? null,
            out_of_budget: t.outOfBudget ? 1 : 0,
            config: JSON.stringify(t.config),
          });
          position.run(t.position, t.cell.label, t.id);
          if (r.changes === 0) continue;
          added++;
          (t.config.model.graphs ?? []).forEach((g, stage) => {
            const s = graphStats(g);
            stat.run({ trial_id: t.id, stage, ...Object.fromEntries(Object.entries(GRAPH_STAT_COLUMNS).map(([col, key]) => [col, s[key]])) });
          });
        }
      })();
      return added;
    });
  }

  trials(ids?: ReadonlySet<string>): TrialRow[] {
    return this.guarded(() => {
      const rows = this.db.prepare('SELECT * FROM trials ORDER BY position').all() as TrialRow[];
      return ids ? rows.filter((r) => ids.has(r.id)) : rows;
    });
  }

  trial(id: string): TrialRow | undefined {
    return this.guarded(() => this.db.prepare('SELECT * FROM trials WHERE id = ?').get(id) as TrialRow | undefined);
  }

  epochs(): EpochRow[] {
    return this.guarded(() => this.db.prepare('SELECT * FROM epochs ORDER BY trial_id, epoch').all() as EpochRow[]);
  }

  graphStats(): GraphStatRow[] {
    return this.guarded(() => this.db.prepare('SELECT * FROM graph_stats ORDER BY trial_id, stage').all() as GraphStatRow[]);
  }

  failures(id: string): Array<{ attempt: number; error: string; at: string }> {
    return this.guarded(
      () =>
        this.db.prepare('SELECT attempt, error, at FROM failures WHERE trial_id = ? ORDER BY attempt').all(id) as Array<{
          attempt: number;
          error: string;
          at: string;
        }>,
    );
  }

  /** Finished trials of the store, or of `ids` only (a run of some trials: retrains beside the plan's). */
  countDone(ids?: ReadonlySet<string>): number {
    if (ids) return this.trials(ids).filter((r) => r.status === 'done').length;
    return this.guarded(() => (this.db.prepare("SELECT COUNT(*) AS n FROM trials WHERE status = 'done'").get() as { n: number }).n);
  }

  claim(id: string, pid: number): void {
    this.markRunning(id, pid, hostname());
  }

  /** A trial that a process (here, or a queue worker on `host`) has started. */
  markRunning(id: string, pid: number | null, host: string | null): void {
    this.guarded(() => {
      const t = now();
      this.db
        .prepare(
          "UPDATE trials SET status = 'running', attempts = attempts + 1, error = NULL, worker_pid = ?, worker_host = ?, started_at = COALESCE(started_at, ?), heartbeat_at = ? WHERE id = ?",
        )
        .run(pid, host, t, t, id);
    });
  }

  /** Who trains a running trial (a queue worker says so with its progress). */
  assignWorker(id: string, pid: number, host: string): void {
    this.guarded(() => {
      this.db.prepare("UPDATE trials SET worker_pid = ?, worker_host = ? WHERE id = ? AND status = 'running'").run(pid, host, id);
    });
  }

  heartbeat(id: string): void {
    this.guarded(() => {
      this.db.prepare("UPDATE trials SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(now(), id);
    });
  }

  /** An epoch as it ends; replaced if the epoch is trained again after a crash, so never counted twice. */
  putEpoch(id: string, m: EpochMetrics): void {
    this.guarded(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO epochs (trial_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, images_per_sec)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, m.epoch, m.trainLoss, m.trainAccuracy, m.valLoss, m.valAccuracy, m.lr, m.seconds, m.imagesPerSec);
    });
  }

  /**
   * A finished trial: its final numbers and exactly the epochs of its run folder, in one transaction.
   * One collected without being started here (a queue worker's result found on reconciling, a trial
   * that finished while no coordinator ran) was still attempted once.
   */
  finish(id: string, s: RunSummary, history: EpochMetrics[]): void {
    this.guarded(() => {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM epochs WHERE trial_id = ?').run(id);
        for (const m of history) this.putEpoch(id, m);
        this.db
          .prepare(
            `UPDATE trials SET status = 'done', attempts = MAX(attempts, 1), error = NULL, finished_at = ?, heartbeat_at = ?, test_accuracy = ?, test_loss = ?,
          val_accuracy = ?, val_loss = ?, epochs = ?, seconds = ?, images_per_sec = ? WHERE id = ?`,
          )
          .run(now(), now(), s.testAccuracy, s.testLoss, s.validationAccuracy, s.validationLoss, s.epochs, s.seconds, s.trainImagesPerSec, id);
      })();
    });
  }

  /** An attempt's error, kept whatever happens to the trial next. */
  recordFailure(id: string, attempt: number, error: string): void {
    this.guarded(() => {
      this.db.prepare('INSERT INTO failures (trial_id, attempt, error, at) VALUES (?, ?, ?, ?)').run(id, attempt, error, now());
    });
  }

  /**
   * A failed attempt: kept in `failures`; the trial is queued again while retries remain.
   * `attemptsMade`: the queue's count, which includes attempts too short for the coordinator to see start.
   */
  fail(id: string, error: string, retry: boolean, attemptsMade?: number): void {
    this.guarded(() => {
      this.db.transaction(() => {
        if (attemptsMade !== undefined) this.db.prepare('UPDATE trials SET attempts = MAX(attempts, ?) WHERE id = ?').run(attemptsMade, id);
        this.recordFailure(id, this.trial(id)?.attempts ?? 0, error);
        this.db.prepare('UPDATE trials SET status = ?, error = ?, worker_pid = NULL WHERE id = ?').run(retry ? 'queued' : 'failed', error, id);
      })();
    });
  }

  /** A trial stopped on purpose (Ctrl-C), or left running by a process that died: back in the queue. */
  release(id: string): void {
    this.guarded(() => {
      this.db.prepare("UPDATE trials SET status = 'queued', worker_pid = NULL WHERE id = ? AND status = 'running'").run(id);
    });
  }

  /** Failed trials get new attempts when a sweep is run again; their errors stay in `failures`. */
  requeueFailed(ids?: ReadonlySet<string>): number {
    return this.guarded(() => {
      const requeue = this.db.prepare("UPDATE trials SET status = 'queued' WHERE status = 'failed' AND id = ?");
      return this.db.transaction(() =>
        this.trials(ids)
          .filter((r) => r.status === 'failed')
          .reduce((n, r) => n + requeue.run(r.id).changes, 0),
      )();
    });
  }
}
