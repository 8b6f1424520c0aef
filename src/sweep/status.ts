import type { TrialRow, TrialStatus } from './store.js';

export interface CellProgress {
  cell: string;
  counts: Record<TrialStatus, number>;
}

export interface SweepProgress {
  cells: CellProgress[];
  total: Record<TrialStatus, number>;
  /** Finished trials per hour between the first start and the last finish; null before two are done. */
  trialsPerHour: number | null;
  etaSeconds: number | null;
}

const zero = (): Record<TrialStatus, number> => ({ queued: 0, running: 0, done: 0, failed: 0 });

/** Progress per cell and overall, from the store's rows of the current plan. */
export function sweepProgress(rows: TrialRow[]): SweepProgress {
  const byCell = new Map<string, CellProgress>();
  const total = zero();
  for (const r of rows) {
    let c = byCell.get(r.cell);
    if (!c) byCell.set(r.cell, (c = { cell: r.cell, counts: zero() }));
    c.counts[r.status]++;
    total[r.status]++;
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
