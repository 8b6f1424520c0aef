import { RandwireError } from '../core/errors.js';
import type { Seeding } from '../core/rng.js';
import { LIMITS, formatCount } from '../core/limits.js';
import { planDepth, type ModelPlan } from './plan.js';
import type { RandomGraph } from '../graph/types.js';
import { randwirePlan } from './randwire.js';
import { alexNetPlan, handmadeCnnPlan, tinyCnnPlan } from './baselines.js';

/** Everything that defines a model, as stored in a run's config.json. */
export interface ModelOptions {
  model: string;
  inputShape: [number, number, number];
  classes: number;
  seed: number;
  /** RandWire only. */
  generator: string;
  graphParams: Record<string, number | undefined>;
  nodes: number;
  channels: number;
  regime: 'small' | 'regular';
  dropout: number;
  /** RandWire only: these stage graphs instead of generated ones (`--graph`), kept in config.json. */
  graphs?: RandomGraph[];
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  model: 'randwire',
  inputShape: [28, 28, 1],
  classes: 10,
  seed: 1,
  generator: 'ws',
  graphParams: { k: 4, p: 0.75 },
  nodes: 32,
  channels: 32,
  regime: 'small',
  dropout: 0,
};

export interface ModelSpec {
  description: string;
  plan: (o: ModelOptions, seeding: Seeding) => ModelPlan;
}

export const MODELS = {
  randwire: {
    description: 'RandWire (Xie et al. 2019): random-graph stages of ReLU-SepConv-BN nodes',
    plan: (o, seeding) => randwirePlan({ ...o, seeding }),
  },
  tinycnn: { description: "the study's TinyCNN (conv 32-64-64, FC 70-30)", plan: (o) => tinyCnnPlan(o) },
  handmadecnn: { description: "the study's HandmadeCNN (5 convs with BN and dropout, FC 128)", plan: (o) => handmadeCnnPlan(o) },
  alexnet: { description: 'AlexNet adapted to 28x28 (5 convs, 3 FC, dropout)', plan: (o) => alexNetPlan(o) },
} satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

/** The plan of a model; `seeding` is how the stage graphs of a RandWire model are seeded (its run's). */
export function modelPlan(o: ModelOptions, seeding: Seeding): ModelPlan {
  if (!Object.hasOwn(MODELS, o.model)) {
    throw new RandwireError('model', `unknown model '${o.model}' (choose one of ${MODEL_NAMES.join(', ')})`);
  }
  const [h, w, c] = o.inputShape;
  if (![h, w, c].every((d) => Number.isInteger(d) && d > 0)) {
    throw new RandwireError('model', `input shape must be three positive integers HxWxC, got ${o.inputShape.join('x')}`);
  }
  if (h > LIMITS.imageSide || w > LIMITS.imageSide || c > LIMITS.imageChannels) {
    throw new RandwireError(
      'model',
      `input shape must be at most ${LIMITS.imageSide}x${LIMITS.imageSide}x${LIMITS.imageChannels}, got ${o.inputShape.join('x')}`,
    );
  }
  if (!Number.isInteger(o.classes) || o.classes < 2) throw new RandwireError('model', `classes must be an integer >= 2, got ${o.classes}`);
  if (o.classes > LIMITS.classes) throw new RandwireError('model', `classes must be at most ${LIMITS.classes}, got ${o.classes}`);
  if (o.model === 'randwire' && o.channels > LIMITS.channels)
    throw new RandwireError('model', `channels must be at most ${LIMITS.channels}, got ${o.channels}`);
  const plan = MODELS[o.model as ModelName].plan(o, seeding);
  if (o.model !== 'randwire' && (h < 16 || w < 16)) {
    throw new RandwireError('model', `${o.model} needs inputs of at least 16x16, got ${h}x${w}`);
  }
  const depth = planDepth(plan);
  if (depth > LIMITS.modelDepth) {
    throw new RandwireError(
      'model',
      `the model is ${formatCount(depth)} layers deep, more than the ${formatCount(LIMITS.modelDepth)} tfjs-layers can build (it walks the layers recursively); use fewer nodes or graphs with shorter paths`,
    );
  }
  return plan;
}
