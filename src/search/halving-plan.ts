import { RandwireError } from '../core/errors.js';
import { hyperbandBrackets, type HyperbandSettings, type Rung } from './hyperband.js';
import { decideRung, decideRungPareto } from './promotion.js';

/**
 * The halving search's planner: pure, no I/O. The store's rows in, the decisions now decidable
 * and the work now runnable out. Every decision is a function of the rung results alone, so the
 * same results give the same decisions whatever the order they arrived in, the number of workers
 * or the restarts in between; a restart calls it again on the stored rows.
 */

/** One bracket as this sweep runs it: its rungs scaled to the trials it was given. */
export interface BracketPlan {
  /** 0 = the most explorative bracket; the store names brackets by this index. */
  index: number;
  /** Li et al.'s s of the bracket. */
  s: number;
  rungs: Rung[];
  /** Rung 0's trials, in plan order. */
  trialIds: string[];
}

export interface RungResultRow {
  trialId: string;
  bracket: number;
  rung: number;
  epoch: number;
  /** Validation accuracy after `epoch` (never test accuracy); null for a trial that failed for good: it ranks last. */
  valAccuracy: number | null;
}

export type HalvingDecision = 'promoted' | 'stopped';

export interface DecisionRow {
  bracket: number;
  rung: number;
  trialId: string;
  decision: HalvingDecision;
}

/** Train trial `trialId` (under the schedule of maxEpochs) until epoch `stopEpoch`, continuing from `fromEpoch`'s checkpoint. */
export interface HalvingWork {
  trialId: string;
  bracket: number;
  rung: number;
  fromEpoch: number;
  stopEpoch: number;
}

export interface HalvingStep {
  /** Decisions not yet in the store: rung by rung, bracket by bracket, each rung's trials best first. */
  decisions: DecisionRow[];
  /** Work runnable once those decisions are stored, in priority order (see `planHalving`). */
  work: HalvingWork[];
  /** Every bracket's top rung has all its results. */
  finished: boolean;
}

/** Largest-remainder shares of `total` in proportion to `weights`; ties go to the earlier weight. */
function shares(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}

/**
 * The plan's trials into Hyperband's brackets, bracket by bracket, most explorative first, each
 * taking its trials from the plan in order. Every planned trial is used: when the plan has more or
 * fewer trials than Hyperband's brackets start (143 for R = 81, eta = 3), each bracket gets a
 * share in proportion to Hyperband's n (largest remainder), and each rung keeps the same fraction
 * of it (at least one trial). A bracket whose share is 0 is left out. With exactly Hyperband's
 * number of trials, the brackets are Li et al.'s.
 */
export function assignBrackets(trialIds: readonly string[], settings: HyperbandSettings): BracketPlan[] {
  if (new Set(trialIds).size !== trialIds.length) throw new RandwireError('search', 'the plan names a trial twice');
  const brackets = hyperbandBrackets(settings);
  const counts = shares(
    brackets.map((b) => b.rungs[0]!.trials),
    trialIds.length,
  );
  const out: BracketPlan[] = [];
  let next = 0;
  brackets.forEach((b, index) => {
    const m = counts[index]!;
    if (m === 0) return;
    const n = b.rungs[0]!.trials;
    const rungs = b.rungs.map((r, i) => ({ epochs: r.epochs, trials: i === 0 ? m : Math.max(1, Math.floor((m * r.trials) / n)) }));
    out.push({ index, s: b.s, rungs, trialIds: trialIds.slice(next, next + m) });
    next += m;
  });
  return out;
}

/** One line per bracket: how many trials train to how many epochs at each rung. */
export function describeBrackets(plan: readonly BracketPlan[]): string[] {
  return plan.map((b) => `bracket ${b.index} (s=${b.s}): ${b.rungs.map((r) => `${r.trials} x ${r.epochs} ep`).join(' -> ')}`);
}

/**
 * How a rung ranks its trials: by validation accuracy, or (pareto) by NSGA-II's order over
 * validation accuracy and a cost fixed per trial before training (multiply-adds or parameters),
 * so a decision stays a function of the stored rung results and the plan.
 */
export type RungRanking = { kind: 'accuracy' } | { kind: 'pareto'; costs: ReadonlyMap<string, number> };

function rankRung(ranking: RungRanking, members: readonly string[], accuracyOf: (id: string) => number, keep: number) {
  if (ranking.kind === 'accuracy')
    return decideRung(
      members.map((id) => ({ trialId: id, valAccuracy: accuracyOf(id) })),
      keep,
    );
  return decideRungPareto(
    members.map((id) => {
      const cost = ranking.costs.get(id);
      if (cost === undefined) throw inconsistent(`trial ${id} has no cost for the pareto objective`);
      return { trialId: id, valAccuracy: accuracyOf(id), cost };
    }),
    keep,
  );
}

const key = (bracket: number, rung: number, trialId: string): string => `${bracket}/${rung}/${trialId}`;

/**
 * Decisions and work from the stored rows. A rung is decided only when every trial admitted to
 * it has its result there; the best `rungs[i + 1].trials` by `ranking` (default: validation
 * accuracy, ties by trial id) are promoted, the others stopped and never given work again. Work comes in this order:
 * higher rungs first (promoted trials: their brackets end sooner, and their longer jobs start
 * before the short ones that fill the gaps), then bracket by bracket, then plan order, so that
 * while a rung waits for its last results the workers train lower rungs and other brackets.
 */
export function planHalving(
  plan: readonly BracketPlan[],
  results: readonly RungResultRow[],
  stored: readonly DecisionRow[],
  ranking: RungRanking = { kind: 'accuracy' },
): HalvingStep {
  const resultAt = new Map<string, RungResultRow>();
  for (const r of results) if (!resultAt.has(key(r.bracket, r.rung, r.trialId))) resultAt.set(key(r.bracket, r.rung, r.trialId), r);
  const storedAt = new Map(stored.map((d) => [key(d.bracket, d.rung, d.trialId), d.decision]));
  const admitted = new Set<string>();
  const decided = new Set<string>();
  const decisions: DecisionRow[] = [];
  const work: Array<HalvingWork & { order: number }> = [];
  const order = new Map(plan.flatMap((b) => b.trialIds.map((id, i) => [id, i] as const)));
  let finished = true;

  for (const b of plan) {
    let members = b.trialIds;
    for (let i = 0; i < b.rungs.length; i++) {
      const rung = b.rungs[i]!;
      for (const id of members) admitted.add(key(b.index, i, id));
      const missing = members.filter((id) => !resultAt.has(key(b.index, i, id)));
      missing.forEach((id) =>
        work.push({ trialId: id, bracket: b.index, rung: i, fromEpoch: i === 0 ? 0 : b.rungs[i - 1]!.epochs, stopEpoch: rung.epochs, order: order.get(id)! }),
      );
      const top = i === b.rungs.length - 1;
      if (missing.length > 0) finished = false;
      if (missing.length > 0 || top) break;
      const ranked = rankRung(ranking, members, (id) => resultAt.get(key(b.index, i, id))!.valAccuracy ?? Number.NaN, b.rungs[i + 1]!.trials);
      const rows: DecisionRow[] = [
        ...ranked.promoted.map((trialId) => ({ bracket: b.index, rung: i, trialId, decision: 'promoted' as const })),
        ...ranked.stopped.map((trialId) => ({ bracket: b.index, rung: i, trialId, decision: 'stopped' as const })),
      ];
      for (const d of rows) {
        decided.add(key(d.bracket, d.rung, d.trialId));
        const before = storedAt.get(key(d.bracket, d.rung, d.trialId));
        if (before === undefined) decisions.push(d);
        else if (before !== d.decision)
          throw inconsistent(`trial ${d.trialId} was ${before} at bracket ${b.index} rung ${i}, but its rung's results say ${d.decision}`);
      }
      members = ranked.promoted;
    }
  }
  for (const r of results) {
    if (!admitted.has(key(r.bracket, r.rung, r.trialId)))
      throw inconsistent(`a result of trial ${r.trialId} at bracket ${r.bracket} rung ${r.rung}, which it was never promoted to`);
    const epochs = plan.find((x) => x.index === r.bracket)!.rungs[r.rung]!.epochs;
    if (epochs !== r.epoch) throw inconsistent(`trial ${r.trialId}'s result at bracket ${r.bracket} rung ${r.rung} is of epoch ${r.epoch}, not ${epochs}`);
  }
  for (const d of stored) {
    if (!decided.has(key(d.bracket, d.rung, d.trialId)))
      throw inconsistent(`trial ${d.trialId} has a decision at bracket ${d.bracket} rung ${d.rung}, whose results are not all in`);
  }
  work.sort((a, b) => b.rung - a.rung || a.bracket - b.bracket || a.order - b.order);
  return { decisions, work: work.map(({ order: _order, ...w }) => w), finished };
}

const inconsistent = (what: string): RandwireError =>
  new RandwireError(
    'search',
    `the store's halving rows do not fit this sweep's search (${what}); was the search section or the plan changed after the search started?`,
  );
