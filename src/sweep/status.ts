import type { TrialRow, TrialStatus } from './store-rows.js';

/**
 * A trial's status as progress shows it: the store's, or `stopped` for a queued trial that a
 * halving decision stopped at a rung (it never trains again; see sweep/halving-status.ts).
 */
export type ProgressStatus = TrialStatus | 'stopped';
export const PROGRESS_STATUSES: readonly ProgressStatus[] = ['queued', 'running', 'done', 'failed', 'stopped'];

export interface CellProgress {
  cell: string;
  counts: Record<ProgressStatus, number>;
}

export interface SweepProgress {
  cells: CellProgress[];
  total: Record<ProgressStatus, number>;
  /** Finished trials per hour between the first start and the last finish; null before two are done. */
  trialsPerHour: number | null;
  etaSeconds: number | null;
}

const zero = (): Record<ProgressStatus, number> => ({ queued: 0, running: 0, done: 0, failed: 0, stopped: 0 });

/** A row's status for progress: `stopped` when a halving decision stopped it and it waits for nothing. */
export const progressStatus = (r: Pick<TrialRow, 'id' | 'status'>, stopped: ReadonlySet<string>): ProgressStatus =>
  r.status === 'queued' && stopped.has(r.id) ? 'stopped' : r.status;

/** Progress per cell and overall, from the store's rows of the current plan; `stopped`: trials a halving decision stopped. */
export function sweepProgress(rows: TrialRow[], stopped: ReadonlySet<string> = new Set()): SweepProgress {
  const byCell = new Map<string, CellProgress>();
  const total = zero();
  for (const r of rows) {
    let c = byCell.get(r.cell);
    if (!c) byCell.set(r.cell, (c = { cell: r.cell, counts: zero() }));
    const s = progressStatus(r, stopped);
    c.counts[s]++;
    total[s]++;
  }
  const done = rows.filter((r) => r.status === 'done' && r.finished_at && r.started_at);
  let trialsPerHour: number | null = null;
  if (done.length >= 2) {
    const first = done.reduce((m, r) => Math.min(m, Date.parse(r.started_at!)), Infinity);
    const last = done.reduce((m, r) => Math.max(m, Date.parse(r.finished_at!)), -Infinity);
    trialsPerHour = last > first ? (done.length / (last - first)) * 3_600_000 : null;
  }
  const left = total.queued + total.running;
  return { cells: [...byCell.values()], total, trialsPerHour, etaSeconds: trialsPerHour ? (left / trialsPerHour) * 3600 : null };
}
