import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { initBackend, type BackendChoice } from '../backend/backend.js';
import { fitThreadsToFreeCores } from '../backend/native/threads.js';
import { classCount, loadIdxSplit, mnistDirectory } from '../data/idx-files.js';
import { loadModel } from '../io/model-files.js';
import { MODEL_FILES } from '../io/run-layout.js';
import { evaluate, type Evaluation } from '../train/evaluate.js';
import { RUN_FILES, readRunConfig, readSummary, type RunSummary } from './run-files.js';
import { checkDataFits, runTestSet } from './run-data.js';

/** The summary of a finished run; a run without one has not finished, whatever else it holds. */
export function finishedRunSummary(dir: string): RunSummary {
  readRunConfig(dir);
  const summary = readSummary(dir);
  if (!summary)
    throw new RandwireError('run', `${dir} has not finished training (no ${RUN_FILES.summary}); continue it with randwire train --out ${dir} --resume`);
  if (!existsSync(join(dir, RUN_FILES.model, MODEL_FILES.json))) {
    throw new RandwireError(
      'run',
      `${dir} is finished but its ${RUN_FILES.model}/ is missing; rebuild it from the final checkpoint with randwire train --out ${dir} --resume`,
    );
  }
  return summary;
}

/** Load the final model of a finished run. */
export async function loadRunModel(dir: string): Promise<tf.LayersModel> {
  finishedRunSummary(dir);
  return loadModel(join(dir, RUN_FILES.model));
}

export interface EvaluateOptions {
  /** Evaluate on the test files of this IDX folder instead of the run's data. */
  dataDir?: string;
  backend?: BackendChoice;
  /** A seeded subset of this many test images (the run's own subset when the run used one). */
  testLimit?: number;
  /** Every test image, even when the run was evaluated on a subset. */
  fullTestSet?: boolean;
}

/** Test-set loss and accuracy of a run's saved model, normalised with the run's training statistics. */
export async function evaluateRun(dir: string, o: EvaluateOptions = {}): Promise<Evaluation> {
  const config = readRunConfig(dir);
  const summary = finishedRunSummary(dir);
  const test = loadIdxSplit(o.dataDir ?? config.data ?? mnistDirectory(), 'test');
  checkDataFits(config, test, classCount(test));
  const set = runTestSet(config, test, o.fullTestSet ? undefined : (o.testLimit ?? config.testLimit));
  await initBackend(o.backend ?? config.backend);
  await fitThreadsToFreeCores();
  const model = await loadRunModel(dir);
  try {
    return evaluate(model, set, summary.normalization, config.model.classes);
  } finally {
    model.dispose();
  }
}
