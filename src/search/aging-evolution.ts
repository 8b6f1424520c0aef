import type { Rng } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';

/** A trained member of an evolution: its birth index (0, 1, 2, ... in decision order) and id. */
export interface Member {
  birth: number;
  trialId: string;
}

export interface AgingSettings {
  /** P: the population size; the oldest member leaves when a child joins a full population. */
  population: number;
  /** S: the tournament size. */
  sample: number;
  /**
   * W: child k is bred from the population as it stood once members 0..k-W were trained, so up
   * to W children train at once and every decision is the same whatever the number of workers
   * (W = 1 is Real et al.'s sequential algorithm).
   */
  window: number;
}

export function checkAging(s: AgingSettings): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.population) || s.population < 2) problems.push(`population must be an integer >= 2, got ${s.population}`);
  if (!Number.isInteger(s.sample) || s.sample < 1) problems.push(`sample must be an integer >= 1, got ${s.sample}`);
  if (problems.length === 0 && s.sample > s.population) problems.push(`sample (${s.sample}) must not exceed population (${s.population})`);
  if (!Number.isInteger(s.window) || s.window < 1) problems.push(`window must be an integer >= 1, got ${s.window}`);
  return problems;
}

/**
 * Which earlier members child `birth` (>= population) may be bred from: the `population` most
 * recent of those born before birth - window + 1, i.e. the regularized (aging) population.
 * Returns undefined while those members are not all trained yet.
 */
export function parentPool(members: readonly Member[], birth: number, s: AgingSettings, trained: (m: Member) => boolean): Member[] | undefined {
  const horizon = birth - s.window + 1;
  const first = Math.max(0, horizon - s.population);
  const byBirth = new Map(members.map((m) => [m.birth, m]));
  const pool: Member[] = [];
  for (let b = first; b < horizon; b++) {
    const m = byBirth.get(b);
    if (!m || !trained(m)) return undefined;
    pool.push(m);
  }
  return pool;
}

/**
 * Real et al.'s tournament: S distinct members drawn uniformly, the best by `better` wins (a
 * comparator that puts the better first; ties break by trial id).
 */
export function tournament(pool: readonly Member[], sample: number, rng: Rng, better: (a: Member, b: Member) => number): Member {
  if (pool.length === 0) throw new RandwireError('search', 'a tournament needs at least one member');
  const picks = rng.shuffle(pool.map((_, i) => i)).slice(0, Math.min(sample, pool.length));
  const contenders = picks.map((i) => pool[i]!);
  contenders.sort((a, b) => better(a, b) || (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0));
  return contenders[0]!;
}
