import { RandwireError } from '../core/errors.js';
import { parentPool, type Member } from './aging-evolution.js';
import { breed, type Bred, type ChildDetail, type EvolutionSettings, type TrialAdapter } from './evolution-breed.js';

/**
 * The evolution search's planner: pure, no I/O, like halving-plan.ts. The stored members and
 * results in; the children now breedable and the members now trainable out. Members are numbered
 * by birth: the initial population (the plan's first P trials, in plan order) 0..P-1, then the
 * children in the order they were bred. Child b is bred once every member of parentPool(b) has a
 * result (trained, or failed for good), from those results and the sweep's seed alone, so the
 * same results give the same children whatever the number of workers, arrival order or restarts.
 */

export interface StoredChild<T> {
  trial: T;
  parentId: string | null;
  detail: ChildDetail;
}

export interface EvolutionStep<T> {
  /** Children not yet in the store, in birth order: store them (with their origins) before training them. */
  children: Array<Bred<T>>;
  /** Members without a result, stored or new, in birth order. */
  work: T[];
  /** Every member of the initial population and every child has a result. */
  finished: boolean;
}

/**
 * `results`: a trial's validation accuracy once it trained, null once it failed for good; absent
 * while it has no result. A child may not repeat the graphs of an earlier member; the plan's other
 * trials do not count, so that adding seeds or cells to the sweep file later changes no child.
 */
export function planEvolution<T>(
  initial: readonly T[],
  stored: ReadonlyArray<StoredChild<T>>,
  results: ReadonlyMap<string, number | null>,
  a: TrialAdapter<T>,
  s: EvolutionSettings,
): EvolutionStep<T> {
  const P = s.population;
  if (initial.length !== P) throw inconsistent(`the initial population has ${initial.length} trials, not ${P}`);
  const members: T[] = [...initial];
  const generation = new Map(initial.map((t) => [a.id(t), 0]));
  const known = new Set(initial.flatMap((t) => [a.id(t), a.graphsKey(t)]));
  const ages: Member[] = initial.map((t, birth) => ({ birth, trialId: a.id(t) }));
  const hasResult = (m: Member): boolean => results.has(m.trialId);
  const accuracyOf = (pool: readonly Member[]): Map<string, number> =>
    new Map(
      pool.flatMap((m) => {
        const v = results.get(m.trialId);
        return v === null || v === undefined || Number.isNaN(v) ? [] : [[m.trialId, v] as const];
      }),
    );
  const byId = new Map(members.map((t) => [a.id(t), t]));
  const bredAt = (birth: number): Bred<T> | undefined => {
    const pool = parentPool(ages, birth, s, hasResult);
    if (!pool) return undefined;
    return breed(
      birth,
      pool.map((m) => byId.get(m.trialId)!),
      (t) => generation.get(a.id(t))!,
      accuracyOf(pool),
      known,
      a,
      s,
    );
  };
  const join = (child: Bred<T>, birth: number): void => {
    const id = a.id(child.trial);
    members.push(child.trial);
    byId.set(id, child.trial);
    generation.set(id, child.detail.generation);
    ages.push({ birth, trialId: id });
    known.add(id).add(a.graphsKey(child.trial));
  };

  // The stored children must be what these results breed: the planner's own decisions, replayed.
  stored.forEach((c, i) => {
    const birth = P + i;
    if (c.detail.birth !== birth) throw inconsistent(`the stored child ${a.id(c.trial)} is of birth ${c.detail.birth}, expected ${birth}`);
    const again = bredAt(birth);
    if (!again) throw inconsistent(`child ${birth} (${a.id(c.trial)}) is stored, but members it was bred from have no result`);
    if (a.id(again.trial) !== a.id(c.trial) || again.parentId !== c.parentId) {
      throw inconsistent(
        `child ${birth} is ${a.id(c.trial)} of ${c.parentId ?? 'no parent'}, but these results breed ${a.id(again.trial)} of ${again.parentId}`,
      );
    }
    join({ trial: c.trial, parentId: again.parentId, detail: c.detail }, birth);
  });

  const children: Array<Bred<T>> = [];
  for (let birth = members.length; birth < P + s.children; birth++) {
    const child = bredAt(birth);
    if (!child) break;
    children.push(child);
    join(child, birth);
  }
  const work = members.filter((t) => !results.has(a.id(t)));
  return { children, work, finished: work.length === 0 && members.length >= P + s.children };
}

const inconsistent = (what: string): RandwireError =>
  new RandwireError(
    'search',
    `the store's evolution rows do not fit this sweep's search (${what}); was the search section, the plan or a result changed after the search started?`,
  );
