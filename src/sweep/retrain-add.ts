import { RandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { addTrials, addedTrials, origins, sweepTrialIds, sweepTrials } from './added-trials.js';
import type { PlannedTrial, SweepPlan } from './plan.js';
import { retrainItems, retrainOrigins, selectForRetrain, type RetrainCandidate } from './retrain.js';
import type { SweepStore } from './store.js';

export interface AddedRetrains {
  selected: RetrainCandidate[];
  /** The trials new to the sweep (none when the same selection and seeds were asked before). */
  added: PlannedTrial[];
  /** Every retrain of the sweep, those of earlier selections too: unfinished ones train now. */
  retrains: PlannedTrial[];
  /** Lines for the user: fewer candidates than asked for, and why. */
  notes: string[];
}

/**
 * Select the `top` best finished trials of the sweep by validation accuracy and add their retrains
 * with seed indices 0..seeds-1 (the caller holds the coordination). The same store, top and seeds
 * always give the same trials; more seeds add only the new indices.
 */
export function addRetrains(plan: SweepPlan, store: SweepStore, dir: string, top: number, seeds: number): AddedRetrains {
  const before = retrainOrigins(origins(store));
  const retrainIds = new Set(before.map((o) => o.trialId));
  const rows = store.trials(sweepTrialIds(plan, store));
  const selection = selectForRetrain(rows, retrainIds, top);
  const notes: string[] = [];
  const without = selection.withoutValidation;
  const withoutNote = without
    ? ` (${plural(without, 'finished trial')} without a validation accuracy ${without === 1 ? 'is' : 'are'} not ${without === 1 ? 'a candidate' : 'candidates'}: retrain selects on validation, never test)`
    : '';
  if (!selection.candidates.length) {
    throw new RandwireError(
      'sweep',
      `${dir} has no finished trial with a validation accuracy to select from${withoutNote}; train it first (randwire sweep run ${dir}), with a validation set (valSize > 0)`,
    );
  }
  if (selection.candidates.length < top) {
    notes.push(
      `--top ${top}, but only ${plural(selection.candidates.length, 'finished trial')} can be selected${withoutNote}; retraining ${selection.candidates.length === 1 ? 'it' : `all ${selection.candidates.length}`}`,
    );
  } else if (without) {
    notes.push(`${plural(without, 'finished trial')} without a validation accuracy ${without === 1 ? 'was' : 'were'} left out of the selection`);
  }
  const originals = new Map(sweepTrials(plan, store).map((t) => [t.id, t]));
  const stored = new Map(store.trials(retrainIds).map((r) => [r.id, r.cell]));
  const cellOf = new Map(before.filter((o) => o.parentId !== null && stored.has(o.trialId)).map((o) => [o.parentId!, stored.get(o.trialId)!]));
  const added = addTrials(store, retrainItems(selection.selected, originals, seeds, cellOf));
  const allRetrains = new Set(retrainOrigins(origins(store)).map((o) => o.trialId));
  return { selected: selection.selected, added, retrains: addedTrials(store).filter((t) => allRetrains.has(t.id)), notes };
}
