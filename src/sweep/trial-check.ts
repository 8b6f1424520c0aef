import { RandwireError } from '../core/errors.js';
import { runPlan, validateTrainConfig, type TrainConfig } from '../experiment/config.js';
import { isGeneratorName } from '../graph/generators.js';

/**
 * A trial's config checked as a local sweep checks the trials it plans: the config's zod schema
 * and graph JSON, the generator, and the model's plan (input size, classes and channels within
 * LIMITS, stage graphs the regime needs). A plan is data, so an impossible trial (10 million
 * classes, a 100000x100000 input) is refused in one line before anything is allocated for it.
 * Queue workers and trial processes run only configs that pass.
 */
export function checkTrialConfig(raw: unknown): TrainConfig {
  const config = validateTrainConfig(raw);
  const m = config.model;
  if (m.model === 'randwire' && !isGeneratorName(m.generator)) throw new RandwireError('config', `unknown generator '${m.generator}'`);
  runPlan(config);
  return config;
}

/** A trial config sent as one line of JSON (a trial process's stdin). */
export function parseTrialConfigLine(line: string): TrainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new RandwireError('sweep', 'the trial config on stdin is not JSON (this command is started by `randwire sweep run` and `randwire worker`)');
  }
  return checkTrialConfig(raw);
}
