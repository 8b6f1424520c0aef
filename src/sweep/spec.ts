import { z } from 'zod';
import { SEEDING_WHEN_ABSENT, type Seeding } from '../core/rng.js';
import { DAMAGE_WHAT } from '../model/damage-what.js';
import { MODEL_NAMES } from '../model/registry.js';
import { PRESET_NAMES } from '../experiment/presets.js';
import { TRAIN_OPTIONS, TRAIN_OPTION_KEYS, type TrainOptionKey } from '../experiment/train-options.js';
import { searchSchema } from './search-spec.js';

const seedList = z.array(z.number().int().min(0, 'seeds must be integers >= 0')).min(1, 'give at least one seed');
/** A count (1..count) or an explicit list of seeds. */
const seeds = z.union([z.number().int().min(1, 'a seed count must be >= 1'), seedList]);
const sizes = (min: number) => z.union([z.number().int().min(min), z.array(z.number().int().min(min)).min(1)]);

/** The sweep's training recipe: a `reproduce` preset's shared settings, then any `train` option (but data). */
const recipeKeys = TRAIN_OPTION_KEYS.filter((k): k is Exclude<TrainOptionKey, 'data'> => k !== 'data');
const recipeSchema = z
  .object({
    preset: z.enum(PRESET_NAMES).optional(),
    ...Object.fromEntries(recipeKeys.map((k) => [k, TRAIN_OPTIONS[k].schema.optional()])),
  })
  .strict();

const cellSchema = z
  .object({
    /** A label for the report; by default the generator and its parameters. */
    name: z.string().min(1).optional(),
    /** RandWire (with a generator) or one of the baselines as a reference cell. */
    model: z.enum(MODEL_NAMES as [string, ...string[]]).default('randwire'),
    generator: z.string().optional(),
    /** Every combination of these parameter values. */
    grid: z.record(z.string(), z.array(z.number()).min(1, 'an empty grid has no settings')).optional(),
    /** These parameter settings. */
    list: z.array(z.record(z.string(), z.number())).min(1, 'an empty list has no settings').optional(),
    /** `count` settings drawn uniformly from [low, high] per parameter with the sweep seed. */
    random: z
      .object({ count: z.number().int().min(1), ranges: z.record(z.string(), z.tuple([z.number(), z.number()])) })
      .strict()
      .optional(),
  })
  .strict();

export const sweepSpecSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" (it names the folder)'),
    description: z.string().optional(),
    /** `mnist`, `fashion-mnist` or a folder of IDX files. */
    data: z.string().min(1).default('mnist'),
    input: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]).default([28, 28, 1]),
    classes: z.number().int().min(2).default(10),
    recipe: recipeSchema.default({}),
    /** RandWire nodes per stage (N) and base channels (C): one value or a grid. */
    nodes: sizes(2).default(32),
    channels: sizes(2).default(16),
    regime: z.enum(['small', 'regular']).default('small'),
    graphSeeds: seeds,
    trainSeeds: seeds.default(1),
    /** Seeds `random` cells. */
    seed: z.number().int().min(0).default(1),
    budget: z
      .object({
        minParams: z.number().int().min(0).optional(),
        maxParams: z.number().int().min(1).optional(),
        minMultiplyAdds: z.number().int().min(0).optional(),
        maxMultiplyAdds: z.number().int().min(1).optional(),
        /** Leave out-of-budget trials out of the sweep, or train them and mark them in the report. */
        action: z.enum(['drop', 'flag']).default('drop'),
      })
      .strict()
      .optional(),
    /** Queue runs: bring every trial's weights back to the coordinator (local runs always keep them). */
    weights: z.boolean().default(false),
    /** Analyses `sweep report` adds; they read the trained models and change no training. */
    analysis: z
      .object({
        /** Remove each node and edge of every RandWire trial's model (randwire damage) and report the drop per cell. */
        damage: z.boolean().default(false),
        damageWhat: z.enum(DAMAGE_WHAT).default('both'),
        /** Test images per damaged model (default: the trial's own test set). */
        damageTestLimit: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    cells: z.array(cellSchema).min(1, 'a sweep needs at least one cell'),
    /** How trials are chosen and stopped (search-spec.ts); absent: every planned trial trains to its last epoch. */
    search: searchSchema.optional(),
  })
  .strict();

export type SweepSpec = z.infer<typeof sweepSpecSchema>;
export type CellSpec = SweepSpec['cells'][number];
export type Recipe = z.infer<typeof recipeSchema>;

/** The seeds of a count (1..n) or a list. */
export function seedValues(s: number | number[]): number[] {
  return Array.isArray(s) ? s : Array.from({ length: s }, (_, i) => i + 1);
}

/**
 * A sweep's seeding: its recipe's `seeding`, and 1 when absent. Not the latest, as for a new run:
 * a sweep file is identified by its content (trial ids are hashes of it), and every sweep file and
 * folder made before seeding 2 must keep its trials. Sweeps spread their seeds with deriveSeed, which
 * seeding 1 handles well; `"recipe": {"seeding": 2}` opts in.
 */
export function sweepSeeding(spec: Pick<SweepSpec, 'recipe'>): Seeding {
  // The recipe's schema is built from TRAIN_OPTIONS, which its inferred type does not list.
  return (spec.recipe as { seeding?: Seeding }).seeding ?? SEEDING_WHEN_ABSENT;
}

export const listOf = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);
