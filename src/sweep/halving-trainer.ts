import { join } from 'node:path';
import { SWEEP_FILES } from '../io/run-layout.js';
import { startTrialToRung, stopTrialProcess, trialEnv } from './trial-process.js';
import type { TrainToEpoch } from './rung-job.js';

/**
 * The halving search's one training action on this machine: a trial process that trains the
 * trial's folder (config.epochs = the search's maximum budget) on from its checkpoint and pauses
 * after `stopEpoch`, or finishes when that is the last epoch (experiment/pause.ts).
 */
export function localRungTrainer(dir: string, workers: number): TrainToEpoch {
  const env = trialEnv(workers);
  return (t, stopEpoch, onEpoch) => {
    const { child, outcome } = startTrialToRung(join(dir, SWEEP_FILES.trials, t.id), t.config, stopEpoch, env, (m) => {
      if (m.type === 'epoch') onEpoch(m.metrics);
    });
    return { pid: child.pid ?? null, cancel: () => stopTrialProcess(child), outcome };
  };
}
