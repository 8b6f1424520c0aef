import { readSweep } from '../sweep/folder.js';
import { sweepTrialIds } from '../sweep/added-trials.js';
import { sweepProgress, type SweepProgress } from '../sweep/status.js';
import { stoppedByHalving } from '../sweep/halving-status.js';
import { budgetState } from '../sweep/search-budget.js';
import type { BudgetState, TrialRow } from '../sweep/store-rows.js';
import { writeSweepReport, type SweepReport } from '../report/sweep-report.js';
import type { MatchKind } from '../report/compute-match.js';

export interface SweepStatus extends SweepProgress {
  /** What a spent budget left untrained; absent while no run has stopped on it. */
  budget?: BudgetState;
  /** The failed trials with their reasons. */
  failed: TrialRow[];
}

/** Progress of the sweep in `dir` (as `randwire sweep status`): per cell and overall, throughput, time left, budget, failures. */
export function sweepStatus(dir: string): SweepStatus {
  const { plan, store } = readSweep(dir);
  try {
    const ids = sweepTrialIds(plan, store);
    const rows = store.trials(ids);
    const budget = budgetState(store, ids);
    return { ...sweepProgress(rows, stoppedByHalving(store)), ...(budget ? { budget } : {}), failed: rows.filter((r) => r.status === 'failed') };
  } finally {
    store.close();
  }
}

export interface SweepReportOptions {
  /** Compare only trials of about the same size: params or multiply-adds within `tolerance` (a fraction) of the median RandWire trial. */
  match?: { kind: MatchKind; tolerance: number };
  log?: (line: string) => void;
}

/** (Re)write the report of the sweep in `dir` from its store (as `randwire sweep report`): tables, tests, correlations, figures. */
export async function sweepReport(dir: string, o: SweepReportOptions = {}): Promise<SweepReport> {
  const { plan, store } = readSweep(dir);
  try {
    return await writeSweepReport(dir, plan, store, o.match, o.log);
  } finally {
    store.close();
  }
}
