import { planHalving } from '../search/halving-plan.js';
import { halvingPlanOf } from './halving-run.js';
import type { SweepPlan } from './plan.js';
import { SearchStore } from './search-store.js';
import type { SweepStore } from './store.js';

/**
 * Trials a halving decision stopped at a rung. The trials table keeps them `queued` (its CHECK
 * constraint predates searches, and changing it needs a table rebuild), so readers take this from
 * search_decisions: status, its --json and the dashboard show them as stopped, not waiting.
 */
export function stoppedByHalving(store: SweepStore): Set<string> {
  return new Set(
    SearchStore.of(store)
      .decisions()
      .filter((d) => d.decision === 'stopped')
      .map((d) => d.trialId),
  );
}

/** Whether a halving sweep's every bracket is decided to its top rung: running it again trains nothing. */
export function halvingFinished(store: SweepStore, plan: SweepPlan): boolean {
  const search = SearchStore.of(store);
  return planHalving(halvingPlanOf(plan).brackets, search.rungResults(), search.decisions()).finished;
}
