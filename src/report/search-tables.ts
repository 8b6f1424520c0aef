import { twoObjectiveRanks } from './pareto-fronts.js';
import { GRAPH_STAT_KEYS, type GraphStatKey } from '../sweep/graph-stat-columns.js';
import { finiteOrNull, type SearchData, type SearchTrial } from './search-data.js';

/** The search's tables from its rows: halving's rungs, evolution's lineage and generations, the Pareto front. Pure. */

export interface RungRow {
  bracket: number;
  rung: number;
  /** The epoch a trial trains to for this rung. */
  epochs: number | null;
  /** Trials the plan gives the rung (halving only). */
  planned: number | null;
  /** Trials admitted so far: rung 0's all of its bracket's, a later rung's those promoted to it. */
  admitted: number;
  results: number;
  promoted: number;
  stopped: number;
  bestValAccuracy: number | null;
  bestTrialId: string | null;
}

export function rungTable(data: SearchData): RungRow[] {
  const key = (b: number, r: number): string => `${b}/${r}`;
  const keys = new Map<string, { bracket: number; rung: number }>();
  for (const b of data.brackets ?? []) b.rungs.forEach((_, rung) => keys.set(key(b.index, rung), { bracket: b.index, rung }));
  for (const r of [...data.rungs, ...data.decisions]) keys.set(key(r.bracket, r.rung), { bracket: r.bracket, rung: r.rung });
  const bracketOf = new Map((data.brackets ?? []).map((b) => [b.index, b]));
  const count = (b: number, r: number, d: 'promoted' | 'stopped'): number =>
    data.decisions.filter((x) => x.bracket === b && x.rung === r && x.decision === d).length;
  return [...keys.values()]
    .sort((a, b) => a.bracket - b.bracket || a.rung - b.rung)
    .map(({ bracket, rung }) => {
      const results = data.rungs.filter((r) => r.bracket === bracket && r.rung === rung);
      const planned = bracketOf.get(bracket);
      const ranked = results
        .filter((r) => finiteOrNull(r.valAccuracy) !== null)
        .sort((a, b) => b.valAccuracy! - a.valAccuracy! || (a.trialId < b.trialId ? -1 : 1));
      const admitted = rung > 0 ? count(bracket, rung - 1, 'promoted') : (planned?.trialIds.length ?? new Set(results.map((r) => r.trialId)).size);
      return {
        bracket,
        rung,
        epochs: planned?.rungs[rung]?.epochs ?? results[0]?.epoch ?? null,
        planned: planned?.rungs[rung]?.trials ?? null,
        admitted,
        results: results.length,
        promoted: count(bracket, rung, 'promoted'),
        stopped: count(bracket, rung, 'stopped'),
        bestValAccuracy: ranked[0]?.valAccuracy ?? null,
        bestTrialId: ranked[0]?.trialId ?? null,
      };
    });
}

/** A trial's validation accuracy so far: its final one, else that of its highest rung. */
function latestValAccuracy(data: SearchData, t: SearchTrial | undefined): number | null {
  if (!t) return null;
  if (t.status === 'done') return finiteOrNull(t.valAccuracy);
  const rungs = data.rungs.filter((r) => r.trialId === t.id).sort((a, b) => b.epoch - a.epoch);
  return finiteOrNull(rungs[0]?.valAccuracy);
}

export interface LineageRow {
  birth: number;
  generation: number;
  trialId: string;
  parentId: string | null;
  mutations: string;
  status: string;
  valAccuracy: number | null;
  parentValAccuracy: number | null;
}

interface StoredMutation {
  stage?: number;
  kind?: string;
  removed?: [number, number];
  added?: [number, number];
}

/** A child's mutations as one line, e.g. "stage 1 move-head -2>5 +2>7". */
export function describeMutations(detail: Record<string, unknown>): string {
  const list = Array.isArray(detail.mutations) ? (detail.mutations as StoredMutation[]) : [];
  return list
    .map((m) =>
      [`stage ${m.stage ?? '?'}`, m.kind ?? '?', m.removed ? `-${m.removed[0]}>${m.removed[1]}` : '', m.added ? `+${m.added[0]}>${m.added[1]}` : '']
        .filter(Boolean)
        .join(' '),
    )
    .join('; ');
}

const numberOr = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Evolution's children in birth order: who made them, by which mutations, and how well they did. */
export function lineageRows(data: SearchData): LineageRow[] {
  const byId = new Map(data.trials.map((t) => [t.id, t]));
  return data.origins
    .filter((o) => o.kind === 'child')
    .map((o) => {
      const t = byId.get(o.trialId);
      return {
        birth: numberOr(o.detail.birth, o.seq),
        generation: numberOr(o.detail.generation, 1),
        trialId: o.trialId,
        parentId: o.parentId,
        mutations: describeMutations(o.detail),
        status: t?.status ?? 'unknown',
        valAccuracy: latestValAccuracy(data, t),
        parentValAccuracy: o.parentId === null ? null : latestValAccuracy(data, byId.get(o.parentId)),
      };
    })
    .sort((a, b) => a.birth - b.birth || (a.trialId < b.trialId ? -1 : 1));
}

export interface GenerationRow {
  generation: number;
  trials: number;
  withResult: number;
  meanValAccuracy: number | null;
  bestValAccuracy: number | null;
  /** Mean over the generation's trials of each graph statistic (itself the mean over stages). */
  graph: Partial<Record<GraphStatKey, number | null>>;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The drift over generations: generation 0 is the plan's trials (the initial population's pool),
 * later ones the children by their stored generation. Only statistics some trial has are columns.
 */
export function generationRows(data: SearchData): GenerationRow[] {
  const children = lineageRows(data);
  if (!children.length) return [];
  const generationOf = new Map<string, number>(children.map((c) => [c.trialId, c.generation]));
  const members = new Map<number, SearchTrial[]>();
  for (const t of data.trials) {
    if (t.origin === 'retrain') continue;
    const g = generationOf.get(t.id) ?? 0;
    members.set(g, [...(members.get(g) ?? []), t]);
  }
  const keys = GRAPH_STAT_KEYS.filter((k) => data.trials.some((t) => t.graph[k] !== null));
  return [...members]
    .sort((a, b) => a[0] - b[0])
    .map(([generation, ts]) => {
      const vals = ts.map((t) => latestValAccuracy(data, t)).filter((v): v is number => v !== null);
      return {
        generation,
        trials: ts.length,
        withResult: vals.length,
        meanValAccuracy: mean(vals),
        bestValAccuracy: vals.length ? Math.max(...vals) : null,
        graph: Object.fromEntries(keys.map((k) => [k, mean(ts.map((t) => t.graph[k]).filter((v): v is number => v !== null))])),
      };
    });
}

export interface ParetoRow {
  trialId: string;
  cell: string;
  origin: string;
  valAccuracy: number;
  testAccuracy: number | null;
  multiplyAdds: number;
  params: number;
  /** Non-dominated rank (0 = the front) against multiply-adds, and against parameters. */
  rankFlops: number;
  rankParams: number;
}

/** Every finished trial of the search (retrains left out) with its Pareto rank against each cost. */
export function paretoRows(data: SearchData): ParetoRow[] {
  const points = data.trials.filter((t) => t.origin !== 'retrain' && t.status === 'done' && finiteOrNull(t.valAccuracy) !== null);
  const flops = twoObjectiveRanks(points.map((t) => ({ value: t.valAccuracy!, cost: t.multiplyAdds })));
  const params = twoObjectiveRanks(points.map((t) => ({ value: t.valAccuracy!, cost: t.params })));
  return points.map((t, i) => ({
    trialId: t.id,
    cell: t.cell,
    origin: t.origin,
    valAccuracy: t.valAccuracy!,
    testAccuracy: t.testAccuracy,
    multiplyAdds: t.multiplyAdds,
    params: t.params,
    rankFlops: flops[i]!,
    rankParams: params[i]!,
  }));
}
