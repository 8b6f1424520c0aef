import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { initBackend, type BackendChoice } from '../backend/backend.js';
import { loadModel } from '../io/model-files.js';
import { evaluate, type Evaluation } from '../train/evaluate.js';
import { RUN_FILES, readRunConfig, runData } from './run.js';

/** Load the final model of a finished run. */
export async function loadRunModel(dir: string): Promise<tf.LayersModel> {
  if (!existsSync(join(dir, RUN_FILES.config))) throw new RandwireError('run', `${dir} is not a run folder (no ${RUN_FILES.config})`);
  if (!existsSync(join(dir, RUN_FILES.model, 'model.json'))) {
    throw new RandwireError('run', `${dir} has not finished training (no ${RUN_FILES.model}/); continue it with randwire train --out ${dir} --resume`);
  }
  return loadModel(join(dir, RUN_FILES.model));
}

/** Test-set loss and accuracy of a run's saved model (the run's own test data unless `dataDir`). */
export async function evaluateRun(dir: string, o: { dataDir?: string; backend?: BackendChoice } = {}): Promise<Evaluation> {
  const config = readRunConfig(dir);
  await initBackend(o.backend ?? config.backend);
  const model = await loadRunModel(dir);
  const data = runData({ ...config, data: o.dataDir ?? config.data });
  const result = evaluate(model, data.test, data, config.model.classes);
  model.dispose();
  return result;
}
