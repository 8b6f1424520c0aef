import { assignBrackets } from '../search/halving-plan.js';
import { origins } from '../sweep/added-trials.js';
import { meanOverStages } from '../sweep/collect.js';
import { halvingSettings } from '../sweep/search-spec.js';
import { SearchStore } from '../sweep/search-store.js';
import type { SweepPlan } from '../sweep/plan.js';
import type { GraphStatRow, SweepStore } from '../sweep/store.js';
import type { SweepSpec } from '../sweep/spec.js';
import type { SearchData, TrialOrigin } from './search-data.js';

/** The strategy a sweep's trials were chosen by. */
export function strategyOf(spec: SweepSpec): string {
  return spec.search?.strategy ?? (spec.cells.some((c) => c.random !== undefined) ? 'random' : 'grid');
}

/** The search's rows of a sweep (read-only; a store without search tables reads as no rows). */
export function readSearchData(plan: SweepPlan, store: SweepStore): SearchData {
  const search = SearchStore.of(store);
  const made = origins(store);
  const originOf = new Map<string, TrialOrigin>(made.map((o) => [o.trialId, o.kind]));
  const ids = new Set([...plan.trials.map((t) => t.id), ...made.map((o) => o.trialId)]);
  const rows = store.trials(ids);
  const stats = new Map<string, GraphStatRow[]>();
  for (const s of store.graphStats()) if (ids.has(s.trial_id)) stats.set(s.trial_id, [...(stats.get(s.trial_id) ?? []), s]);
  return {
    name: plan.spec.name,
    strategy: strategyOf(plan.spec),
    trials: rows.map((r) => ({
      id: r.id,
      cell: r.cell,
      family: r.family,
      status: r.status,
      origin: originOf.get(r.id) ?? 'plan',
      valAccuracy: r.val_accuracy,
      testAccuracy: r.test_accuracy,
      multiplyAdds: r.multiply_adds,
      params: r.model_params,
      finishedAt: r.finished_at,
      heartbeatAt: r.heartbeat_at ?? r.started_at,
      graph: meanOverStages(stats.get(r.id) ?? []),
    })),
    epochs: store
      .epochs()
      .filter((e) => ids.has(e.trial_id))
      .map((e) => ({ trialId: e.trial_id, epoch: e.epoch, seconds: e.seconds ?? 0, valAccuracy: e.val_accuracy })),
    rungs: search.rungResults(),
    decisions: search.decisions().map((d) => ({ seq: d.seq, bracket: d.bracket, rung: d.rung, trialId: d.trialId, decision: d.decision })),
    origins: made.map((o) => ({ trialId: o.trialId, seq: o.seq, kind: o.kind, parentId: o.parentId, detail: o.detail })),
    brackets:
      plan.spec.search?.strategy === 'halving'
        ? assignBrackets(
            plan.trials.map((t) => t.id),
            halvingSettings(plan.spec),
          )
        : null,
  };
}
