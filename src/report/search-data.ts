import type { BracketPlan, RungResultRow } from '../search/halving-plan.js';
import type { GraphStatKey } from '../sweep/graph-stat-columns.js';

/**
 * What the search's report and dashboard read of a sweep store, as plain data: every trial (of
 * the plan and those the search added), every trained epoch, the rung results, the decisions and
 * the origins. Pure types, so the browser can import them; `search-read.ts` fills them from a store.
 */

export type TrialOrigin = 'plan' | 'child' | 'retrain';

export interface SearchTrial {
  id: string;
  cell: string;
  family: string;
  status: string;
  origin: TrialOrigin;
  /** The trial's final validation and test accuracy (null until it finishes). */
  valAccuracy: number | null;
  testAccuracy: number | null;
  multiplyAdds: number;
  params: number;
  finishedAt: string | null;
  /** When its coordinator last heard of it (its unreported epochs are charged then). */
  heartbeatAt: string | null;
  graph: Record<GraphStatKey, number | null>;
}

export interface SearchEpoch {
  trialId: string;
  epoch: number;
  seconds: number;
  valAccuracy: number | null;
}

export interface SearchRung extends RungResultRow {
  recordedAt: string;
}

export interface SearchDecision {
  seq: number;
  bracket: number;
  rung: number;
  trialId: string;
  decision: 'promoted' | 'stopped';
}

export interface SearchOrigin {
  trialId: string;
  seq: number;
  kind: 'child' | 'retrain';
  parentId: string | null;
  detail: Record<string, unknown>;
}

export interface SearchData {
  name: string;
  /** The sweep file's search strategy; without a search section, 'random' when a cell draws settings at random, else 'grid'. */
  strategy: string;
  trials: SearchTrial[];
  epochs: SearchEpoch[];
  rungs: SearchRung[];
  decisions: SearchDecision[];
  origins: SearchOrigin[];
  /** A halving search's brackets as the plan makes them; null for other strategies. */
  brackets: BracketPlan[] | null;
}

/** Validation accuracy that counts: a finite number. */
export const finiteOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
