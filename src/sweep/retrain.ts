import { deriveSeed } from '../core/rng.js';
import type { TrainConfig } from '../experiment/config.js';
import { deriveTrial, type Origin } from './added-trials.js';
import type { PlannedTrial } from './plan.js';
import type { TrialRow } from './store.js';

/**
 * `sweep retrain`: the best finished trials by validation accuracy, trained again from scratch
 * under new seeds, so that the test accuracy reported for a winner is not the one lucky run it was
 * selected on (the winner's curse). Pure: rows and origins in, trials out.
 */

/** What a retrain's origin row holds in `detail` (the convention of added-trials.ts). */
export type RetrainDetail = {
  seedIndex: number;
  selectedBy: 'validation';
  selectedValAccuracy: number;
};

export interface RetrainCandidate {
  /** 1 = the best validation accuracy of the sweep's finished trials. */
  rank: number;
  row: TrialRow & { val_accuracy: number };
}

export interface RetrainSelection {
  selected: RetrainCandidate[];
  /** Every candidate in rank order (the report ranks originals among them). */
  candidates: RetrainCandidate[];
  /** Finished trials left out because they have no validation accuracy (valSize 0). */
  withoutValidation: number;
}

const hasValidation = (r: TrialRow): r is TrialRow & { val_accuracy: number } => r.val_accuracy !== null && Number.isFinite(r.val_accuracy);

/**
 * The finished trials of the sweep ranked by validation accuracy (never test: selecting on the
 * numbers that are then reported would bias them), ties by trial id; retrains themselves are not
 * candidates. The first `top` are selected.
 */
export function selectForRetrain(rows: readonly TrialRow[], retrainIds: ReadonlySet<string>, top: number): RetrainSelection {
  const finished = rows.filter((r) => r.status === 'done' && !retrainIds.has(r.id));
  const ranked = finished
    .filter(hasValidation)
    .sort((a, b) => b.val_accuracy - a.val_accuracy || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row, i) => ({ rank: i + 1, row }));
  return { selected: ranked.slice(0, top), candidates: ranked, withoutValidation: finished.length - ranked.length };
}

/** The seed of the original trial's `seedIndex`-th retrain: fixed by the two, so reruns add nothing new. */
export function retrainSeed(originalSeed: number, seedIndex: number): number {
  return deriveSeed(originalSeed, `sweep/retrain/${seedIndex}`);
}

/**
 * The original's config under another seed: weights, data order and validation split change;
 * model and graphs (data in config.model.graphs) do not. The epochs are the config's own, the full
 * budget (a halving sweep's trials carry its maximum).
 */
export function retrainConfig(original: TrainConfig, seed: number): TrainConfig {
  if (original.model.model === 'randwire' && !original.model.graphs?.length) {
    // A RandWire model without stored graphs draws them from model.seed, which a retrain changes.
    throw new Error(`retrainConfig: a RandWire trial without graphs in its config cannot keep its graphs under a new seed`);
  }
  return { ...original, seed, model: { ...original.model, seed } };
}

export const retrainCellLabel = (originalCell: string, rank: number): string => `retrain ${originalCell} #${rank}`;

export interface RetrainItem {
  trial: PlannedTrial;
  kind: 'retrain';
  parentId: string;
  detail: RetrainDetail;
}

/**
 * The retrains of the selected trials with seed indices 0..seeds-1, as items for `addTrials`
 * (which skips those already added). An original retrained before keeps its cell, whatever its
 * rank now: one cell per original.
 */
export function retrainItems(
  selected: readonly RetrainCandidate[],
  originals: ReadonlyMap<string, PlannedTrial>,
  seeds: number,
  cellOf: ReadonlyMap<string, string>,
): RetrainItem[] {
  return selected.flatMap(({ rank, row }) => {
    const original = originals.get(row.id);
    if (!original) throw new Error(`retrainItems: trial ${row.id} is not a trial of the sweep`);
    const label = cellOf.get(row.id) ?? retrainCellLabel(row.cell, rank);
    return Array.from({ length: seeds }, (_, seedIndex) => {
      const config = retrainConfig(original.config, retrainSeed(original.config.seed, seedIndex));
      return {
        trial: deriveTrial(original, config, label, { trainSeed: seedIndex }),
        kind: 'retrain' as const,
        parentId: row.id,
        detail: { seedIndex, selectedBy: 'validation' as const, selectedValAccuracy: row.val_accuracy },
      };
    });
  });
}

/** The retrain origins among a sweep's origins. */
export const retrainOrigins = (all: readonly Origin[]): Origin[] => all.filter((o) => o.kind === 'retrain');
