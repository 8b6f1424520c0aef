import { z } from 'zod';
import { DEFAULT_TRAIN_CONFIG } from '../experiment/config.js';
import { PRESETS } from '../experiment/presets.js';
import type { TrainOptions } from '../experiment/train-options.js';
import { checkHyperband, type HyperbandSettings } from '../search/hyperband.js';
import { checkAging } from '../search/aging-evolution.js';
import { MUTATION_KINDS, type MutationKind } from '../search/mutate.js';
import type { SweepSpec } from './spec.js';

/**
 * The sweep file's `search` section. zod checks the shape here; the checks between settings
 * (eta, epochs, brackets, population against sample) need the recipe's epochs and are made by
 * `searchProblems` with the cells' checks, so that all of them are named at once.
 */

export const SEARCH_STRATEGIES = ['grid', 'random', 'halving', 'evolution'] as const;

/** When the search stops: whichever of these is spent first. */
const budgetSchema = z
  .object({
    epochs: z.number().int().min(1).optional(),
    trials: z.number().int().min(1).optional(),
    minutes: z.number().positive().optional(),
  })
  .strict()
  .refine((b) => b.epochs !== undefined || b.trials !== undefined || b.minutes !== undefined, 'give epochs, trials or minutes')
  .optional();

const objectiveShape = {
  /** Validation accuracy alone, or its Pareto front against a cost. */
  objective: z.enum(['accuracy', 'pareto']).default('accuracy'),
  cost: z.enum(['flops', 'params']).optional(),
  budget: budgetSchema,
};

// Numbers are only typed here: their ranges are checked by checkHyperband/checkAging, once.
const halvingSchema = z
  .object({
    strategy: z.literal('halving'),
    eta: z.number().default(3),
    minEpochs: z.number().default(1),
    /** Default: the recipe's epochs. Every trial trains under the schedule of this many epochs. */
    maxEpochs: z.number().optional(),
    /** Hyperband's brackets, most explorative first; default all of them; 1 = successive halving. */
    brackets: z.number().optional(),
    ...objectiveShape,
  })
  .strict();

const evolutionSchema = z
  .object({
    strategy: z.literal('evolution'),
    population: z.number(),
    sample: z.number(),
    window: z.number().default(1),
    /** Children bred after the initial population. */
    children: z.number().int().min(1).optional(),
    mutations: z
      .array(z.enum(MUTATION_KINDS as [MutationKind, ...MutationKind[]]))
      .min(1, 'give at least one mutation')
      .optional(),
    ...objectiveShape,
  })
  .strict();

const enumerationSchema = (strategy: 'grid' | 'random') => z.object({ strategy: z.literal(strategy), budget: budgetSchema }).strict();

export const searchSchema = z.discriminatedUnion('strategy', [enumerationSchema('grid'), enumerationSchema('random'), halvingSchema, evolutionSchema]);

export type SearchSpec = z.infer<typeof searchSchema>;
export type HalvingSpec = z.infer<typeof halvingSchema>;

/** The epochs the sweep's recipe trains (its own, else its preset's, else the default). */
export function recipeEpochs(spec: SweepSpec): number {
  const preset = spec.recipe.preset ? PRESETS[spec.recipe.preset].base.epochs : undefined;
  return ownEpochs(spec) ?? preset ?? DEFAULT_TRAIN_CONFIG.epochs;
}

// The recipe's type is built from the option table, so its keys are not known statically.
const ownEpochs = (spec: SweepSpec): number | undefined => (spec.recipe as Partial<TrainOptions>).epochs;

/** The Hyperband settings of a halving search, the defaults filled in. */
export function halvingSettings(spec: SweepSpec): HyperbandSettings & { objective: HalvingSpec['objective']; cost?: 'flops' | 'params' } {
  const s = spec.search;
  if (s?.strategy !== 'halving') throw new Error('halvingSettings: the sweep has no halving search');
  return {
    eta: s.eta,
    minEpochs: s.minEpochs,
    maxEpochs: s.maxEpochs ?? recipeEpochs(spec),
    ...(s.brackets !== undefined ? { brackets: s.brackets } : {}),
    objective: s.objective,
    // Only a Pareto search names its cost, so an accuracy search's stored settings are as before.
    ...(s.objective === 'pareto' ? { cost: s.cost ?? 'flops' } : {}),
  };
}

/** A halving search trains every trial under the schedule of its maximum budget. */
export function withSearchEpochs<T extends { epochs: number }>(recipe: T, spec: SweepSpec): T {
  const maxEpochs = spec.search?.strategy === 'halving' ? spec.search.maxEpochs : undefined;
  return maxEpochs === undefined ? recipe : { ...recipe, epochs: maxEpochs };
}

/** Problems between the search's settings, one line each, prefixed `search: `. */
export function searchProblems(spec: SweepSpec): string[] {
  const s = spec.search;
  if (!s) return [];
  const problems: string[] = [];
  if (s.strategy === 'halving') {
    problems.push(...checkHyperband(halvingSettings(spec)));
    const own = ownEpochs(spec);
    if (s.maxEpochs !== undefined && own !== undefined && s.maxEpochs !== own) {
      problems.push(`maxEpochs (${s.maxEpochs}) differs from recipe.epochs (${own}); give one of them`);
    }
  }
  if (s.strategy === 'evolution') {
    problems.push(...checkAging({ population: s.population, sample: s.sample, window: s.window }));
    if (s.children === undefined && s.budget?.trials === undefined && s.budget?.epochs === undefined)
      problems.push('give evolution a number of children (children) or a budget (budget.trials or budget.epochs)');
    // A wall-time stop would make the children depend on the machine's speed.
    if (s.budget?.minutes !== undefined) problems.push('budget.minutes is not implemented for evolution yet; give budget.trials or budget.epochs');
  }
  if ((s.strategy === 'halving' || s.strategy === 'evolution') && s.cost !== undefined && s.objective !== 'pareto') {
    problems.push(`cost '${s.cost}' is used only by objective 'pareto'`);
  }
  return problems.map((p) => `search: ${p}`);
}
