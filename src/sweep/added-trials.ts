import { RandwireError } from '../core/errors.js';
import { runPlan, validateTrainConfig, type TrainConfig } from '../experiment/config.js';
import { complexity } from '../model/complexity.js';
import { graphHash, trialId, type PlannedTrial, type SweepPlan } from './plan.js';
import { SearchStore, hasTable } from './search-store.js';
import type { SweepStore, TrialRow } from './store.js';

/**
 * Trials a search adds to a sweep beyond its plan: evolution's children (their graphs are data in
 * their configs) and retrains of the best trials under new seeds. They are ordinary rows of the
 * trials table (so status, report, damage and the dashboard see them) plus a row of
 * `search_origins` saying what made them; the plan, made again from the sweep file on every open,
 * never holds them, so `sweepTrials` joins the two.
 */

export const ORIGIN_KINDS = ['child', 'retrain'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

export interface Origin {
  trialId: string;
  /** 1, 2, 3, ... in the order the trials were added. */
  seq: number;
  kind: OriginKind;
  parentId: string | null;
  /** What made it, as its maker stored it (a mutation, a retrain's seed index). */
  detail: Record<string, unknown>;
  createdAt: string;
}

/** Added trials sort after every planned one (plans hold at most LIMITS.sweepTrials). */
const ADDED_POSITION_BASE = 1_000_000;

/**
 * A trial like `base` but trained with `config` (other graphs or another seed), in the cell
 * `label`: its id, size and graph hashes computed as the planner computes them.
 */
export function deriveTrial(base: PlannedTrial, config: TrainConfig, label: string, seeds: { graphSeed?: number; trainSeed?: number } = {}): PlannedTrial {
  const cx = complexity(runPlan(config));
  return {
    id: trialId(config),
    position: base.position,
    cell: { ...base.cell, label },
    graphSeed: seeds.graphSeed ?? base.graphSeed,
    trainSeed: seeds.trainSeed ?? base.trainSeed,
    config,
    params: cx.params,
    multiplyAdds: cx.flops,
    graphHashes: (config.model.graphs ?? []).map(graphHash),
    sameGraphsAs: undefined,
    outOfBudget: base.outOfBudget,
  };
}

const hasOrigins = (store: SweepStore): boolean => hasTable(store.db, 'search_origins');

/** Every added trial's origin, in the order they were added. */
export function origins(store: SweepStore): Origin[] {
  if (!hasOrigins(store)) return [];
  const rows = store.guarded(() => store.db.prepare('SELECT * FROM search_origins ORDER BY seq').all()) as Array<{
    trial_id: string;
    seq: number;
    kind: OriginKind;
    parent_id: string | null;
    detail: string;
    created_at: string;
  }>;
  return rows.map((r) => ({
    trialId: r.trial_id,
    seq: r.seq,
    kind: r.kind,
    parentId: r.parent_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}

/**
 * Add trials with their origins, all or none (a coordinator killed in between leaves neither).
 * A trial already added (same id: same config) is not added again; returns those that were new.
 */
export function addTrials(
  store: SweepStore,
  items: ReadonlyArray<{ trial: PlannedTrial; kind: OriginKind; parentId: string | null; detail: Record<string, unknown> }>,
): PlannedTrial[] {
  SearchStore.of(store);
  const known = new Set(origins(store).map((o) => o.trialId));
  const insert = store.db.prepare('INSERT INTO search_origins (trial_id, seq, kind, parent_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const nextSeq = (): number => ((store.db.prepare('SELECT MAX(seq) AS m FROM search_origins').get() as { m: number | null }).m ?? 0) + 1;
  return store.guarded(() =>
    store.db.transaction(() => {
      const added: PlannedTrial[] = [];
      for (const item of items) {
        if (known.has(item.trial.id)) continue;
        if (store.trial(item.trial.id))
          throw new RandwireError('search', `trial ${item.trial.id} is in the sweep already (its config repeats a planned trial's)`);
        const seq = nextSeq();
        const trial = { ...item.trial, position: ADDED_POSITION_BASE + seq };
        store.syncTrials([trial]);
        insert.run(trial.id, seq, item.kind, item.parentId, JSON.stringify(item.detail), new Date().toISOString());
        known.add(trial.id);
        added.push(trial);
      }
      return added;
    })(),
  );
}

/** A stored row as the trial the planner would have made of it. */
function trialOfRow(r: TrialRow): PlannedTrial {
  return {
    id: r.id,
    position: r.position,
    cell: {
      label: r.cell,
      family: r.family,
      model: r.model,
      generator: r.generator ?? undefined,
      params: JSON.parse(r.params) as Record<string, number>,
      nodes: r.nodes,
      channels: r.channels,
    },
    graphSeed: r.graph_seed,
    trainSeed: r.train_seed,
    config: validateTrainConfig(JSON.parse(r.config)),
    params: r.model_params,
    multiplyAdds: r.multiply_adds,
    graphHashes: r.graph_hashes ? r.graph_hashes.split('/') : [],
    sameGraphsAs: r.same_graphs_as ?? undefined,
    outOfBudget: r.out_of_budget === 1,
  };
}

/** The trials a search added, in the order it added them. */
export function addedTrials(store: SweepStore): PlannedTrial[] {
  const ids = origins(store).map((o) => o.trialId);
  const rows = new Map(store.trials(new Set(ids)).map((r) => [r.id, r]));
  return ids.map((id) => trialOfRow(rows.get(id)!));
}

/** The plan's trials, then those the search added: every trial of the sweep. */
export function sweepTrials(plan: SweepPlan, store: SweepStore): PlannedTrial[] {
  return [...plan.trials, ...addedTrials(store)];
}

/** The ids of every trial of the sweep (for reading rows: status, report, dashboard). */
export function sweepTrialIds(plan: SweepPlan, store: SweepStore): Set<string> {
  return new Set([...plan.trials.map((t) => t.id), ...origins(store).map((o) => o.trialId)]);
}
