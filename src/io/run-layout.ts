/**
 * File and folder names on disk, declared once: a run folder, its checkpoint and a saved model
 * (DESIGN §7). Readers, writers, reports and tests all take the names from here.
 */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  checkpoint: 'checkpoint',
  model: 'model',
  graphs: 'graphs',
} as const;

/** A checkpoint folder holds a saved model (MODEL_FILES) and these. */
export const CHECKPOINT_FILES = { state: 'state.json', optimizerJson: 'optimizer.json', optimizerBin: 'optimizer.bin' } as const;

/** The TF.js Layers format: model.json and one weights file. */
export const MODEL_FILES = { json: 'model.json', weights: 'weights.bin' } as const;

/** A results folder of `reproduce` keeps its run folders here. */
export const RUNS_DIR = 'runs';

/** A sweep folder (DESIGN §7): the spec as run, the store, one run folder per trial, the report. */
export const SWEEP_FILES = { spec: 'sweep.json', db: 'sweep.db', trials: 'trials', report: 'report', trialLock: 'trial.lock' } as const;
