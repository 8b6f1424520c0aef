import { RandwireError } from '../core/errors.js';
import { Rng, deriveSeed, type Seeding } from '../core/rng.js';
import type { RandomGraph } from '../graph/types.js';
import { tournament, type AgingSettings, type Member } from './aging-evolution.js';
import { mutateDag, type MutationKind } from './mutate.js';
import { paretoOrder, type Objective } from './pareto.js';

/**
 * One child of an aging evolution, bred from a pool of trained members: a tournament, then one
 * mutation of one stage graph of the winner. Pure; every draw comes from an Rng made from the
 * sweep's seed and the child's birth, so a child is the same whoever breeds it and when.
 */

export interface EvolutionSettings extends AgingSettings {
  /** Children bred in all after the initial population. */
  children: number;
  mutations: readonly MutationKind[];
  objective: 'accuracy' | 'pareto';
  /** The cost a Pareto search weighs against validation accuracy. */
  cost: 'flops' | 'params';
  /** The sweep's seed and seeding: every draw of the search derives from them. */
  seed: number;
  seeding: Seeding;
}

/** How the planner sees a sweep's trials (the sweep layer gives PlannedTrial's fields). */
export interface TrialAdapter<T> {
  id(t: T): string;
  graphs(t: T): readonly RandomGraph[];
  /** Equal for two trials with the same stage graphs. */
  graphsKey(t: T): string;
  cost(t: T, which: EvolutionSettings['cost']): number;
  /** The trial that trains `graphs` as child `birth` of `parent` (its own training seed). */
  child(parent: T, graphs: RandomGraph[], birth: number): T;
}

export interface MutationRecord {
  stage: number;
  kind: MutationKind;
  removed?: [number, number];
  added?: [number, number];
}

/** The detail of a child's origin row (sweep/added-trials.ts's convention). */
export interface ChildDetail {
  birth: number;
  generation: number;
  mutations: MutationRecord[];
}

export interface Bred<T> {
  trial: T;
  parentId: string;
  detail: ChildDetail;
}

/** Draws of a stage and a mutation per child before a child whose graphs are new counts as impossible. */
export const MUTATION_DRAWS = 32;

export const childSeed = (s: Pick<EvolutionSettings, 'seed'>, birth: number): number => deriveSeed(s.seed, `search/evolution/child/${birth}`);
/** The training seed of child `birth`: its own, so the same graphs bred twice still train apart. */
export const childTrainSeed = (s: Pick<EvolutionSettings, 'seed'>, birth: number): number => deriveSeed(s.seed, `search/evolution/child/${birth}/train`);

/**
 * Best first: by validation accuracy (Real et al.), or by non-dominated rank over (accuracy, cost)
 * then crowding (NSGA-II) computed over the contenders' pool. Ties are left to the tournament (trial id).
 */
export function selection<T>(
  pool: readonly T[],
  accuracy: ReadonlyMap<string, number>,
  a: TrialAdapter<T>,
  s: Pick<EvolutionSettings, 'objective' | 'cost'>,
): (x: Member, y: Member) => number {
  if (s.objective === 'accuracy') return (x, y) => accuracy.get(y.trialId)! - accuracy.get(x.trialId)!;
  const objectives: Array<Objective<T>> = [
    { name: 'validation accuracy', value: (t) => accuracy.get(a.id(t))!, maximize: true },
    { name: s.cost, value: (t) => a.cost(t, s.cost), maximize: false },
  ];
  const order = paretoOrder(pool, objectives, (t) => a.id(t));
  const place = new Map(order.map((i, k) => [a.id(pool[i]!), k]));
  return (x, y) => place.get(x.trialId)! - place.get(y.trialId)!;
}

/**
 * Child `birth` of the pool (members that trained; `accuracy` holds their validation accuracy,
 * failed members are absent and never win). `known`: the graphsKey of every trial already in the
 * sweep; a mutation that repeats one is drawn again, MUTATION_DRAWS times at most.
 */
export function breed<T>(
  birth: number,
  pool: readonly T[],
  generation: (t: T) => number,
  accuracy: ReadonlyMap<string, number>,
  known: ReadonlySet<string>,
  a: TrialAdapter<T>,
  s: EvolutionSettings,
): Bred<T> {
  const contenders = pool.filter((t) => accuracy.has(a.id(t)));
  if (contenders.length === 0) {
    throw new RandwireError('search', `child ${birth} cannot be bred: every member of its pool (${pool.length}) failed to train; see randwire sweep status`);
  }
  const rng = Rng.fromSeed(childSeed(s, birth), s.seeding);
  const members = contenders.map((t, i) => ({ birth: i, trialId: a.id(t) }));
  const winner = contenders[tournament(members, s.sample, rng, selection(contenders, accuracy, a, s)).birth]!;
  const graphs = a.graphs(winner);
  if (graphs.length === 0) throw new RandwireError('search', `trial ${a.id(winner)} has no stage graphs to mutate; evolution needs RandWire cells`);
  let lastProblem = 'its graphs were already in the sweep';
  for (let draw = 0; draw < MUTATION_DRAWS; draw++) {
    const stage = rng.int(graphs.length);
    let mutated;
    try {
      mutated = mutateDag(graphs[stage]!, rng, s.mutations);
    } catch (e) {
      if (!(e instanceof RandwireError)) throw e;
      lastProblem = e.message;
      continue;
    }
    // A mutated stage no longer comes from its generator and seed: it says so (as imported graphs say 'import').
    const childGraphs = graphs.map((g, i) => (i === stage ? { ...g, generator: EVOLVED_GENERATOR, params: {}, seed: 0, ...mutated.dag } : g));
    const trial = a.child(winner, childGraphs, birth);
    if (known.has(a.graphsKey(trial)) || known.has(a.id(trial))) continue;
    const { kind, removed, added } = mutated.mutation;
    const record: MutationRecord = { stage, kind, ...(removed ? { removed } : {}), ...(added ? { added } : {}) };
    return { trial, parentId: a.id(winner), detail: { birth, generation: generation(winner) + 1, mutations: [record] } };
  }
  throw new RandwireError(
    'search',
    `child ${birth} of ${a.id(winner)}: ${MUTATION_DRAWS} draws of a mutation gave no new graphs (last: ${lastProblem}); allow more mutation kinds`,
  );
}

/** The `generator` of a stage graph that a mutation made. */
export const EVOLVED_GENERATOR = 'evolved';

/** `remove-edge 3->7 in stage 1`, as the log and the lineage name a mutation. */
export function describeMutation(m: MutationRecord): string {
  const edge = (e: [number, number]): string => `${e[0]}->${e[1]}`;
  const what = m.removed && m.added ? `${edge(m.removed)} to ${edge(m.added)}` : edge((m.removed ?? m.added)!);
  return `${m.kind} ${what} in stage ${m.stage}`;
}
