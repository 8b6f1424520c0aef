/**
 * The library's Node entry (`import ... from 'randwire'`): everything of the browser entry (graphs,
 * model plans, layers, statistics) plus what needs Node: training into run folders, evaluation,
 * data sets, saved models with checksums, the study's reproduction, sweeps and graph damage. User
 * mistakes throw RandwireError (isRandwireError tells them from bugs) with a one-line message.
 *
 *   import { train } from 'randwire';
 *   const r = await train({ model: { model: 'randwire', nodes: 8, channels: 8 }, epochs: 1 }, { out: 'runs/rw' });
 */
export * from './browser.js';
export { train, type TrainSettings, type TrainOptions } from './api/train.js';
export { sweepStatus, sweepReport, type SweepStatus, type SweepReportOptions } from './api/sweep.js';
export { runSweep, type RunSweepOptions, type RunSweepResult } from './api/run-sweep.js';
export { predictImages, type Prediction, type PredictOptions } from './api/predict.js';
export { trainRun, type RunOptions } from './experiment/run.js';
export type { RunOutcome } from './experiment/pause.js';
export { DEFAULT_TRAIN_CONFIG, validateTrainConfig, mergeConfigFile, runPlan, type TrainConfig } from './experiment/config.js';
export { readRunConfig, readSummary, RUN_FILES, type RunSummary } from './experiment/run-files.js';
export { evaluateRun, loadRunModel, finishedRunSummary, type EvaluateOptions } from './experiment/evaluate-run.js';
export { reproduce, type ReproduceOptions } from './experiment/reproduce.js';
export { PRESETS, PRESET_NAMES } from './experiment/presets.js';
export { damageRun, DAMAGE_WHAT, type DamageOptions, type DamageResult, type DamageWhat } from './experiment/damage.js';
export { saveModel, loadModel } from './io/model-files.js';
export { initBackend, type BackendChoice } from './backend/backend.js';
export { loadDataset, loadIdxDirectory, readIdxFile, mnistDirectory } from './data/idx-files.js';
export { DATA_SOURCES, DATA_SOURCE_NAMES, dataFolder, type DataSourceName } from './data/sources.js';
export type { Dataset, ImageSet } from './data/dataset.js';
export type { EpochMetrics } from './train/state.js';
export type { TrainEvent } from './train/trainer.js';
export { parseSweepSpec, planSweep, type SweepPlan, type PlannedTrial } from './sweep/plan.js';
export type { SweepSpec } from './sweep/spec.js';
export { SWEEP_PRESETS } from './sweep/presets.js';
