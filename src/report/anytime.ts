import { describe } from '../analysis/describe.js';
import { finiteOrNull, type SearchData, type SearchTrial } from './search-data.js';

/**
 * The anytime curve NAS papers plot: the best validation accuracy found so far against the
 * compute spent so far. Pure. A result is found when it is stored: a trial's result at a rung
 * (`search_rungs.recorded_at`) or its final result (`trials.finished_at`). Every trained epoch of
 * the epochs table is compute spent, those of trials later stopped or failed included: an epoch
 * is charged at the first result that covers it, and epochs no result covers (a trial still
 * training, one that failed) at the trial's last heartbeat. Retrains are left out: they measure
 * the search's choice, they are not part of it.
 */

export interface AnytimePoint {
  /** When the result was stored (ISO time). */
  at: string;
  trialId: string;
  /** The trial's epoch the result is of. */
  epoch: number;
  /** The result's validation accuracy; null for epochs charged without a result. */
  valAccuracy: number | null;
  /** Epochs charged at this point, and the totals so far (all trials, in the order results came). */
  epochsCharged: number;
  cumulativeEpochs: number;
  cumulativeSeconds: number;
  bestValAccuracy: number | null;
  bestTrialId: string | null;
}

interface Found {
  at: string;
  trialId: string;
  epoch: number;
  valAccuracy: number | null;
}

const searched = (data: SearchData): SearchTrial[] => data.trials.filter((t) => t.origin !== 'retrain');

export function anytimeCurve(data: SearchData): AnytimePoint[] {
  const trials = new Map(searched(data).map((t) => [t.id, t]));
  const epochsOf = new Map<string, Array<{ epoch: number; seconds: number }>>();
  for (const e of data.epochs) if (trials.has(e.trialId)) epochsOf.set(e.trialId, [...(epochsOf.get(e.trialId) ?? []), e]);
  const lastEpoch = (id: string): number => Math.max(0, ...(epochsOf.get(id) ?? []).map((e) => e.epoch));
  const found: Found[] = data.rungs
    .filter((r) => trials.has(r.trialId))
    .map((r) => ({ at: r.recordedAt, trialId: r.trialId, epoch: r.epoch, valAccuracy: r.valAccuracy }));
  const rungTop = new Map<string, number>();
  for (const f of found) rungTop.set(f.trialId, Math.max(rungTop.get(f.trialId) ?? 0, f.epoch));
  for (const t of trials.values()) {
    // A halving trial's top rung is its final result already.
    if (t.status === 'done' && t.finishedAt && (rungTop.get(t.id) ?? 0) < lastEpoch(t.id))
      found.push({ at: t.finishedAt, trialId: t.id, epoch: lastEpoch(t.id), valAccuracy: t.valAccuracy });
  }
  const covered = new Map<string, number>();
  for (const f of found) covered.set(f.trialId, Math.max(covered.get(f.trialId) ?? 0, f.epoch));
  for (const t of trials.values()) {
    const last = lastEpoch(t.id);
    if (last > (covered.get(t.id) ?? 0)) found.push({ at: t.heartbeatAt ?? t.finishedAt ?? '', trialId: t.id, epoch: last, valAccuracy: null });
  }
  found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : a.epoch - b.epoch));
  const charged = new Map<string, number>();
  const points: AnytimePoint[] = [];
  let epochs = 0;
  let seconds = 0;
  let best: number | null = null;
  let bestTrialId: string | null = null;
  for (const f of found) {
    const from = charged.get(f.trialId) ?? 0;
    const now = (epochsOf.get(f.trialId) ?? []).filter((e) => e.epoch > from && e.epoch <= f.epoch);
    charged.set(f.trialId, Math.max(from, f.epoch));
    epochs += now.length;
    seconds += now.reduce((s, e) => s + e.seconds, 0);
    const v = finiteOrNull(f.valAccuracy);
    // Ties keep the first found: the curve moves only when something better turns up.
    if (v !== null && (best === null || v > best)) {
      best = v;
      bestTrialId = f.trialId;
    }
    points.push({
      at: f.at,
      trialId: f.trialId,
      epoch: f.epoch,
      valAccuracy: v,
      epochsCharged: now.length,
      cumulativeEpochs: epochs,
      cumulativeSeconds: seconds,
      bestValAccuracy: best,
      bestTrialId,
    });
  }
  return points;
}

/** What a sweep cost and found, for `sweep compare`. */
export interface SweepSummary {
  sweep: string;
  strategy: string;
  /** Trials of the search (retrains not counted) with at least one trained epoch. */
  trialsTrained: number;
  epochs: number;
  seconds: number;
  /** The best finished trial by validation accuracy (ties by id), the one a retrain selects first. */
  bestTrialId: string | null;
  bestValAccuracy: number | null;
  bestTestAccuracy: number | null;
}

export function sweepSummary(data: SearchData, label = data.name): SweepSummary {
  const ids = new Set(searched(data).map((t) => t.id));
  const epochs = data.epochs.filter((e) => ids.has(e.trialId));
  const best = bestFinished(data);
  return {
    sweep: label,
    strategy: data.strategy,
    trialsTrained: new Set(epochs.map((e) => e.trialId)).size,
    epochs: epochs.length,
    seconds: epochs.reduce((s, e) => s + e.seconds, 0),
    bestTrialId: best?.id ?? null,
    bestValAccuracy: best?.valAccuracy ?? null,
    bestTestAccuracy: best?.testAccuracy ?? null,
  };
}

function bestFinished(data: SearchData): SearchTrial | undefined {
  const done = searched(data).filter((t) => t.status === 'done' && finiteOrNull(t.valAccuracy) !== null);
  return done.sort((a, b) => b.valAccuracy! - a.valAccuracy! || (a.id < b.id ? -1 : 1))[0];
}

/** A selected trial's retrains (origins of kind 'retrain' whose parent it is): test accuracy over its new seeds. */
export interface RetrainRow {
  sweep: string;
  selectedId: string;
  selectedValAccuracy: number | null;
  selectedTestAccuracy: number | null;
  retrains: number;
  finished: number;
  testMean: number | null;
  testStd: number | null;
}

export function retrainRows(data: SearchData, label = data.name): RetrainRow[] {
  const byId = new Map(data.trials.map((t) => [t.id, t]));
  const groups = new Map<string, string[]>();
  for (const o of data.origins) if (o.kind === 'retrain' && o.parentId !== null) groups.set(o.parentId, [...(groups.get(o.parentId) ?? []), o.trialId]);
  return [...groups]
    .map(([parent, ids]) => {
      const tests = ids
        .map((id) => byId.get(id))
        .filter((t) => t?.status === 'done')
        .map((t) => t!.testAccuracy ?? Number.NaN);
      const d = describe(tests);
      const selected = byId.get(parent);
      return {
        sweep: label,
        selectedId: parent,
        selectedValAccuracy: selected?.valAccuracy ?? null,
        selectedTestAccuracy: selected?.testAccuracy ?? null,
        retrains: ids.length,
        finished: tests.length,
        testMean: d.mean,
        testStd: d.std,
      };
    })
    .sort((a, b) => (b.selectedValAccuracy ?? -1) - (a.selectedValAccuracy ?? -1) || (a.selectedId < b.selectedId ? -1 : 1));
}
