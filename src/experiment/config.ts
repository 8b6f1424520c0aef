import { z } from 'zod';
import { RandwireError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { SEEDING_WHEN_ABSENT, type Seeding } from '../core/rng.js';
import { GRAPH_FORMAT, GRAPH_VERSION, validateGraph } from '../graph/format.js';
import { MODEL_NAMES, DEFAULT_MODEL_OPTIONS, modelPlan, type ModelOptions } from '../model/registry.js';
import type { ModelPlan } from '../model/plan.js';
import { DEFAULT_TRAIN_OPTIONS, trainOptionsShape, type TrainOptions } from './train-options.js';

const modelSchema = z.object({
  model: z.enum(MODEL_NAMES as [string, ...string[]]),
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  classes: z.number().int().min(2),
  seed: z.number().int(),
  generator: z.string(),
  graphParams: z.record(z.string(), z.number().optional()),
  nodes: z.number().int().min(2).max(LIMITS.graphNodes),
  channels: z.number().int().min(2),
  regime: z.enum(['small', 'regular']),
  dropout: z.number().min(0).lt(1),
  // Checked as graphs (a DAG by index, no duplicates) by validateGraph below.
  graphs: z.array(z.unknown()).min(1).optional(),
});

/** A training config: the model, the master seed and the training options of TRAIN_OPTIONS. */
export const trainConfigSchema = z.object({ model: modelSchema, seed: z.number().int(), ...trainOptionsShape });

/** A stage graph as config.json stores it: these keys and no others (values checked by validateGraph). */
const storedGraphSchema = z.object({ generator: z.unknown(), params: z.unknown(), seed: z.unknown(), nodes: z.unknown(), edges: z.unknown() }).strict();

/** A complete config with no unknown key at any level: what a queue job must carry (nothing is stripped silently). */
export const strictTrainConfigSchema = trainConfigSchema
  .extend({ model: modelSchema.extend({ graphs: z.array(storedGraphSchema).min(1).optional() }).strict() })
  .strict();

export type TrainConfig = TrainOptions & { model: ModelOptions; seed: number };

/** The study's protocol (see TRAIN_OPTIONS); the `paper` preset of `reproduce` uses a constant rate, as the study did. */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = { model: DEFAULT_MODEL_OPTIONS, seed: 1, ...DEFAULT_TRAIN_OPTIONS };

/** Validate a config; every problem is reported at once, one per line. */
export function validateTrainConfig(raw: unknown, schema: z.ZodType = trainConfigSchema): TrainConfig {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new RandwireError('config', lines.join('; '));
  }
  const config = r.data as TrainConfig;
  // Seeding 1 is stored as absent: old runs' config.json, their checkpoints' config hashes and
  // sweep trial ids stay what they were.
  if (config.seeding === SEEDING_WHEN_ABSENT) delete config.seeding;
  // Stored as graphs in memory are (no format/version fields): checked as graph JSON.
  if (config.model.graphs) {
    config.model.graphs = config.model.graphs.map((g, i) =>
      validateGraph({ format: GRAPH_FORMAT, version: GRAPH_VERSION, ...(g as object) }, `model.graphs[${i}]`),
    );
  }
  return config;
}

/** The seeding of a config's random streams: absent means 1 (made before seeding 2 existed). */
export function seedingOf(config: { seeding?: Seeding }): Seeding {
  return config.seeding ?? SEEDING_WHEN_ABSENT;
}

/** `config` with its seeding set, 1 as absent (see validateTrainConfig). */
export function withSeeding<T extends { seeding?: Seeding }>(config: T, seeding: Seeding): T {
  const out: T = { ...config, seeding };
  if (seeding === SEEDING_WHEN_ABSENT) delete out.seeding;
  return out;
}

/** The model plan of a run's config, its stage graphs seeded as the run says. */
export function runPlan(config: TrainConfig): ModelPlan {
  return modelPlan(config.model, seedingOf(config));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A config file may give only some settings (`{"epochs": 3}`): they are merged over `defaults`,
 * model settings key by key. Unknown keys are errors, so a misspelt setting is never ignored.
 */
export function mergeConfigFile(raw: unknown, file: string, defaults: TrainConfig = DEFAULT_TRAIN_CONFIG): TrainConfig {
  if (!isObject(raw)) throw new RandwireError('config', `${file} must hold a JSON object of training settings`);
  if (raw.model !== undefined && !isObject(raw.model)) throw new RandwireError('config', `${file}: model must be an object of model settings`);
  const model = { ...defaults.model, ...(raw.model as object | undefined) };
  const strict = trainConfigSchema.extend({ model: modelSchema.strict() }).strict();
  // A file without `seeding` is read as 1, as every config.json is: copies of older runs' configs
  // (results/mnist-cpu/configs) must train the same graphs. `--seeding` on the command line still wins.
  return validateTrainConfig({ ...withSeeding(defaults, SEEDING_WHEN_ABSENT), ...raw, model }, strict);
}
