import { RandwireError } from '../core/errors.js';
import { DEFAULT_TRAIN_CONFIG, withSeeding, type TrainConfig } from './config.js';
import { LATEST_SEEDING, type Seeding } from '../core/rng.js';
import { STUDY_MODELS } from './study.js';

export interface Preset {
  description: string;
  /** Settings shared by the six models. */
  base: Partial<TrainConfig>;
  /** RandWire model settings (N stays 32, the study's value). */
  randwire: { channels: number; nodes: number; dropout: number };
  /** Per-model changes (e.g. a smaller batch for a heavy model). */
  perModel?: Partial<Record<string, Partial<TrainConfig>>>;
}

export const PRESETS = {
  paper: {
    description: "the study's protocol: 60,000 train / 10,000 test, 100 epochs, batch 2,048, Adam lr 1e-3 eps 1e-5, constant rate",
    base: { epochs: 100, batchSize: 2048, optimizer: 'adam', lr: 1e-3, epsilon: 1e-5, schedule: 'constant', valSize: 0, augment: 0 },
    randwire: { channels: 78, nodes: 32, dropout: 0 },
  },
  cpu: {
    description:
      'the six models in about 1 h 50 min on 2 cores with the oneDNN kernels (1 h 47 min measured; one model per core); see README for how it was chosen',
    // Epochs sized from measured speed (oneDNN kernels, one thread per worker, batch 128):
    // RandWire C=16 N=32 ~300-420 img/s, AlexNet ~145, HandmadeCNN ~565, TinyCNN ~3,200.
    // Shifts of 2 px: chosen on the validation split (RandWire WS C=16, 3 epochs: 99.52 % with,
    // 99.50 % without, validation loss 0.0186 vs 0.0232).
    base: {
      epochs: 20,
      batchSize: 128,
      optimizer: 'adam',
      lr: 1e-3,
      epsilon: 1e-5,
      schedule: 'cosine',
      warmupEpochs: 0.1,
      valSize: 5000,
      augment: 2,
      labelSmoothing: 0,
    },
    randwire: { channels: 16, nodes: 32, dropout: 0 },
    perModel: {
      'randwire-er': { lr: 4e-3, epochs: 10 },
      'randwire-ba': { lr: 4e-3, epochs: 10 },
      'randwire-ws': { lr: 4e-3, epochs: 10 },
      alexnet: { epochs: 6 },
      handmadecnn: { epochs: 20 },
      tinycnn: { epochs: 30 },
    },
  },
  quick: {
    description:
      'about 80 s on 2 cores with the oneDNN kernels (77-81 s measured) to show the whole pipeline (5,000 training images, 2 epochs, honest lower accuracies)',
    base: {
      epochs: 2,
      batchSize: 64,
      optimizer: 'adam',
      lr: 1e-3,
      epsilon: 1e-5,
      schedule: 'cosine',
      warmupEpochs: 0.1,
      valSize: 1000,
      trainLimit: 5000,
      testLimit: 2000,
      augment: 0,
    },
    randwire: { channels: 8, nodes: 32, dropout: 0 },
    // AlexNet costs 130 M multiply-adds per image (4.5x RandWire C=8): fewer images keep the run short.
    perModel: { 'randwire-er': { lr: 4e-3 }, 'randwire-ba': { lr: 4e-3 }, 'randwire-ws': { lr: 4e-3 }, alexnet: { trainLimit: 2000 } },
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The six training configs of a preset, with user overrides applied on top. */
export function presetConfigs(
  name: string,
  seed: number,
  overrides: Partial<TrainConfig> = {},
  randwireOverrides: Partial<Preset['randwire']> = {},
  seeding: Seeding = LATEST_SEEDING,
): Array<{ id: string; config: TrainConfig }> {
  if (!Object.hasOwn(PRESETS, name)) throw new RandwireError('reproduce', `unknown preset '${name}' (choose one of ${PRESET_NAMES.join(', ')})`);
  const p: Preset = PRESETS[name as PresetName];
  const rw = { ...p.randwire, ...randwireOverrides };
  return STUDY_MODELS.map((m) => {
    const model = {
      ...DEFAULT_TRAIN_CONFIG.model,
      model: m.model,
      seed,
      ...('generator' in m ? { generator: m.generator, graphParams: { ...m.graphParams } } : {}),
      ...(m.model === 'randwire' ? rw : {}),
    };
    const config: TrainConfig = withSeeding({ ...DEFAULT_TRAIN_CONFIG, ...p.base, ...(p.perModel?.[m.id] ?? {}), ...overrides, model, seed }, seeding);
    return { id: m.id, config };
  });
}
