import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { validateTrainConfig, type TrainConfig } from './config.js';

/** The files and folders of a run folder, named once. */
export const RUN_FILES = { config: 'config.json', metrics: 'metrics.jsonl', summary: 'summary.json', checkpoint: 'checkpoint', model: 'model', graphs: 'graphs' };

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

export function readJson<T>(path: string, what: string): T {
  if (!existsSync(path)) throw new RandwireError('run', `${what} not found: ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new RandwireError('run', `${path} is not valid JSON (${(e as Error).message})`);
  }
}

export function readRunConfig(dir: string): TrainConfig {
  if (!existsSync(join(dir, RUN_FILES.config))) throw new RandwireError('run', `${dir} is not a run folder (no ${RUN_FILES.config})`);
  return validateTrainConfig(readJson(join(dir, RUN_FILES.config), 'run config'));
}

export function readSummary(dir: string): RunSummary | undefined {
  const p = join(dir, RUN_FILES.summary);
  if (!existsSync(p)) return undefined;
  const s = readJson<RunSummary>(p, 'summary');
  if (typeof s !== 'object' || s === null || typeof s.testAccuracy !== 'number' || typeof s.normalization?.std !== 'number') {
    throw new RandwireError('run', `${p} is damaged (no testAccuracy or normalization); delete it and run randwire train --out ${dir} --resume to rebuild it`);
  }
  return s;
}
