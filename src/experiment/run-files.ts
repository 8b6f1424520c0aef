import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { readJson } from '../io/json.js';
import { RUN_FILES } from '../io/run-layout.js';
import { validateTrainConfig, type TrainConfig } from './config.js';

export { RUN_FILES } from '../io/run-layout.js';

export interface RunSummary {
  model: string;
  config: TrainConfig;
  testAccuracy: number;
  testLoss: number;
  testImages: number;
  validationAccuracy: number | null;
  validationLoss: number | null;
  params: number;
  trainableParams: number;
  flops: number;
  epochs: number;
  seconds: number;
  trainImagesPerSec: number;
  backend: string;
  microBatch: number;
  /** Pixel normalisation of the training data, needed to predict on new images. */
  normalization: { mean: number; std: number };
  finishedAt: string;
}

/** A run folder's config.json, validated; a RandwireError when the folder holds no run or the file is damaged. */
export function readRunConfig(dir: string): TrainConfig {
  if (!existsSync(join(dir, RUN_FILES.config))) throw new RandwireError('run', `${dir} is not a run folder (no ${RUN_FILES.config})`);
  return validateTrainConfig(readJson(join(dir, RUN_FILES.config), 'run config'));
}

/** A finished run's summary.json (test accuracy, loss, epochs, time, ...), or undefined while the run is not finished. */
export function readSummary(dir: string): RunSummary | undefined {
  const p = join(dir, RUN_FILES.summary);
  if (!existsSync(p)) return undefined;
  const s = readJson<RunSummary>(p, 'summary');
  if (typeof s !== 'object' || s === null || typeof s.testAccuracy !== 'number' || typeof s.normalization?.std !== 'number') {
    throw new RandwireError('run', `${p} is damaged (no testAccuracy or normalization); delete it and run randwire train --out ${dir} --resume to rebuild it`);
  }
  return s;
}
