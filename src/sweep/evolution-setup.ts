import { RandwireError } from '../core/errors.js';
import { LIMITS, formatCount } from '../core/limits.js';
import { MUTATION_KINDS } from '../search/mutate.js';
import { childTrainSeed, type ChildDetail, type EvolutionSettings, type TrialAdapter } from '../search/evolution-breed.js';
import type { StoredChild } from '../search/evolution-plan.js';
import { addedTrials, deriveTrial, origins } from './added-trials.js';
import { canonicalJson, type PlannedTrial, type SweepPlan } from './plan.js';
import { recipeEpochs } from './search-spec.js';
import { sweepSeeding } from './spec.js';
import type { SweepStore } from './store.js';

/**
 * What the evolution planner (search/evolution-plan.ts) needs from a sweep: its settings with the
 * defaults and the budget folded in, the plan's trials as members, and the stored children.
 */

/** The evolution settings of a sweep; `children` is the smallest of search.children and what the budget allows. */
export function evolutionSettings(plan: SweepPlan): EvolutionSettings {
  const spec = plan.spec;
  const s = spec.search;
  if (s?.strategy !== 'evolution') throw new Error('evolutionSettings: the sweep has no evolution search');
  const fail = (what: string): never => {
    throw new RandwireError('sweep', `search: ${what}`);
  };
  if (s.budget?.minutes !== undefined)
    fail(
      'budget.minutes is not implemented for evolution yet (a wall-time stop would make the children depend on the machine); give budget.trials or budget.epochs',
    );
  const epochs = recipeEpochs(spec);
  const limits = [
    s.children,
    s.budget?.trials !== undefined ? s.budget.trials - s.population : undefined,
    s.budget?.epochs !== undefined ? Math.floor(s.budget.epochs / epochs) - s.population : undefined,
  ].filter((n): n is number => n !== undefined);
  if (limits.length === 0) fail('give evolution a number of children (search.children) or a budget (budget.trials or budget.epochs)');
  const children = Math.min(...limits);
  if (children < 1) fail(`the budget leaves no child after the initial population of ${s.population} (each member trains ${epochs} epochs)`);
  if (s.population + children > LIMITS.sweepTrials)
    fail(`population + children is ${formatCount(s.population + children)}, more than the ${formatCount(LIMITS.sweepTrials)} trials a sweep may hold`);
  if (plan.trials.length < s.population)
    fail(`population ${s.population} needs that many planned trials to start from, the plan has ${plan.trials.length}; add graph seeds or cells`);
  const initial = plan.trials.slice(0, s.population);
  const graphless = initial.find((t) => (t.config.model.graphs ?? []).length === 0);
  if (graphless) fail(`evolution mutates stage graphs, and trial ${graphless.id} (${graphless.cell.label}) has none; use RandWire cells`);
  if (initial.some((t) => t.config.valSize === 0)) fail('evolution selects by validation accuracy; recipe.valSize must be > 0');
  return {
    population: s.population,
    sample: s.sample,
    window: s.window,
    children,
    mutations: s.mutations ?? MUTATION_KINDS,
    objective: s.objective,
    cost: s.cost ?? 'flops',
    seed: spec.seed,
    seeding: sweepSeeding(spec),
  };
}

/** The settings the stored children are bound to: all but how many children (more continue the search). */
export function evolutionSettingsJson(plan: SweepPlan, s: EvolutionSettings): string {
  const bound = {
    population: s.population,
    sample: s.sample,
    window: s.window,
    mutations: s.mutations,
    objective: s.objective,
    cost: s.cost,
    seed: s.seed,
    seeding: s.seeding,
  };
  return canonicalJson({ strategy: 'evolution', ...bound, initial: plan.trials.slice(0, s.population).map((t) => t.id) });
}

/** The label of a child's cell: children of one planned cell share a cell of their own. */
const childLabel = (parent: PlannedTrial): string => (parent.cell.label.startsWith('evolved from ') ? parent.cell.label : `evolved from ${parent.cell.label}`);

/** The planner's view of a sweep's trials; children's training seeds derive from the sweep's `seed`. */
export function evolutionAdapter(sweepSeed: number): TrialAdapter<PlannedTrial> {
  return {
    id: (t) => t.id,
    graphs: (t) => t.config.model.graphs ?? [],
    graphsKey: (t) => `graphs:${t.graphHashes.join('/')}`,
    cost: (t, which) => (which === 'params' ? t.params : t.multiplyAdds),
    child(parent, graphs, birth) {
      const seed = childTrainSeed({ seed: sweepSeed }, birth);
      return deriveTrial(parent, { ...parent.config, seed, model: { ...parent.config.model, seed, graphs } }, childLabel(parent));
    },
  };
}

/** The children stored so far, in birth order (origins of kind 'child'). */
export function storedChildren(store: SweepStore): Array<StoredChild<PlannedTrial>> {
  const trials = new Map(addedTrials(store).map((t) => [t.id, t]));
  return origins(store)
    .filter((o) => o.kind === 'child')
    .map((o) => ({ trial: trials.get(o.trialId)!, parentId: o.parentId, detail: o.detail as unknown as ChildDetail }))
    .sort((x, y) => x.detail.birth - y.detail.birth);
}
