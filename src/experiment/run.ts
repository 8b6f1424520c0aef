import * as tf from '@tensorflow/tfjs';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { initBackend } from '../backend/backend.js';
import { complexity } from '../model/complexity.js';
import { buildModel } from '../model/build.js';
import type { ModelPlan } from '../model/plan.js';
import { stringifyGraph } from '../graph/format.js';
import { drawGraph, drawingLayout } from '../graph/draw.js';
import { graphLayout, graphTitle } from '../graph/describe.js';
import type { RandomGraph } from '../graph/types.js';
import { writeText } from '../io/files.js';
import { sha256 } from '../io/checksum.js';
import { saveModel } from '../io/model-files.js';
import { inputPreprocessing, setInputPreprocessing } from '../model/preprocessing.js';
import { MODEL_FILES } from '../io/run-layout.js';
import { makeOptimizer } from '../train/optimizer.js';
import { activationBytesPerImage, microBatchFor } from '../train/step.js';
import { evaluate } from '../train/evaluate.js';
import { findCheckpoint, readCheckpoint, restoreCheckpoint, writeCheckpoint, type Checkpoint } from '../train/checkpoint.js';
import { initialState, type TrainState } from '../train/state.js';
import { train, type TrainEvent } from '../train/trainer.js';
import { runPlan, seedingOf, validateTrainConfig, type TrainConfig } from './config.js';
import { runData } from './run-data.js';
import { RUN_FILES, readRunConfig, readSummary, type RunSummary } from './run-files.js';
import { checkNotBehind, checkStopAfterEpoch, pausedAt, type RunOutcome } from './pause.js';
import { plural } from '../core/format.js';

export interface RunOptions {
  resume?: boolean;
  onEvent?: (e: TrainEvent) => void;
  shouldStop?: () => boolean;
  log?: (line: string) => void;
  /** Training flags the user gave along with --resume: said to be ignored (the run's config.json rules). */
  flagsGiven?: string[];
  /**
   * Pause after this epoch (1..config.epochs) of the full schedule; not part of config.json: the
   * paused run and its continuation are one run. A resume may move it forward, never back.
   */
  stopAfterEpoch?: number;
}

/** The stage graphs as JSON and drawings; a drawing that is too large or fails is a line in the log, never the end of a training. */
async function writeGraphs(dir: string, plan: ModelPlan, log: (line: string) => void): Promise<void> {
  const rw = plan.metadata.randwire as { graphs: RandomGraph[] } | undefined;
  if (!rw) return;
  for (const [i, g] of rw.graphs.entries()) {
    writeText(join(dir, RUN_FILES.graphs, `stage-${i + 1}.json`), stringifyGraph(g) + '\n');
    const svg = join(dir, RUN_FILES.graphs, `stage-${i + 1}.svg`);
    const { layout, note } = drawingLayout(g, graphLayout(g));
    if (note) log(`stage ${i + 1}: ${note}`);
    if (!layout) continue;
    try {
      writeText(svg, await drawGraph(g, layout, `stage ${i + 1}: ${graphTitle(g)}`));
    } catch (e) {
      log(`warning: stage ${i + 1} was not drawn (${(e as Error).message.split('\n')[0]}); training goes on`);
    }
  }
}

/** Save the final model into a temporary folder and swap it in: model/ is never half written. */
async function writeFinalModel(dir: string, model: tf.LayersModel, config: TrainConfig, norm: { mean: number; std: number }): Promise<void> {
  // The model file alone is then enough to predict, in Node or in a browser.
  setInputPreprocessing(model, inputPreprocessing(norm.mean, norm.std, config.model.inputShape));
  const final = join(dir, RUN_FILES.model);
  const tmp = `${final}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  await saveModel(model, tmp);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
}

/** A checkpoint must belong to this run's config and data before training continues from it. */
function writeMetrics(dir: string, state: TrainState): void {
  writeText(join(dir, RUN_FILES.metrics), state.history.map((m) => JSON.stringify(m)).join('\n') + (state.history.length ? '\n' : ''));
}

function checkStateFits(state: TrainState, config: TrainConfig, trainCount: number, where: string): void {
  const batches = Math.ceil(trainCount / config.batchSize);
  if (state.epoch > config.epochs || state.batch >= batches || (state.epoch === config.epochs && state.batch > 0)) {
    throw new RandwireError(
      'checkpoint',
      `${where} is at epoch ${state.epoch}, batch ${state.batch}, which this run (${plural(config.epochs, 'epoch')} of ${plural(batches, 'batch', 'batches')}) never reaches; delete it to restart the run`,
    );
  }
}

/** A finished run whose model/ was deleted gets it back from the final checkpoint. */
async function rebuildFinalModel(
  dir: string,
  config: TrainConfig,
  ckpt: Checkpoint | undefined,
  ckptDir: string | undefined,
  log: (l: string) => void,
): Promise<void> {
  if (!ckpt || ckpt.state.epoch !== config.epochs) {
    throw new RandwireError(
      'run',
      `${dir} is finished but its ${RUN_FILES.model}/ is missing and no final checkpoint is left to rebuild it; delete ${RUN_FILES.summary} to train the run again`,
    );
  }
  await initBackend(config.backend);
  const model = buildModel(runPlan(config), config.model.seed);
  const optimizer = makeOptimizer(config);
  await restoreCheckpoint(ckpt, ckptDir!, model, optimizer);
  const summary = readSummary(dir);
  await writeFinalModel(dir, model, config, summary!.normalization);
  log(`rebuilt ${join(dir, RUN_FILES.model)}/ from the final checkpoint`);
  model.dispose();
  optimizer.dispose();
}

/**
 * Train one model into a run folder: config.json, graphs/, metrics.jsonl, checkpoint/ after
 * every epoch, then model/ and summary.json. With `resume`, continue from the checkpoint; every
 * checkpoint file (and the stop epoch) is checked before anything in the folder is written.
 */
export async function trainRun(rawConfig: TrainConfig, dir: string, o: RunOptions = {}): Promise<RunOutcome> {
  const log = o.log ?? (() => {});
  const configPath = join(dir, RUN_FILES.config);
  let config = validateTrainConfig(rawConfig);
  const ckptDir = findCheckpoint(join(dir, RUN_FILES.checkpoint));
  let ckpt: Checkpoint | undefined;
  if (existsSync(configPath)) {
    if (!o.resume) throw new RandwireError('run', `${dir} already holds a run; pass --resume to continue it or choose another --out`);
    const given = config;
    config = readRunConfig(dir);
    // Only a difference is worth a line (reproduce resumes every run with its own --config).
    if (o.flagsGiven?.length && JSON.stringify(given) !== JSON.stringify(config))
      log(`ignoring ${o.flagsGiven.join(', ')}: a resumed run keeps the settings of ${configPath}`);
    checkStopAfterEpoch(o.stopAfterEpoch, config.epochs);
    ckpt = ckptDir ? readCheckpoint(ckptDir) : undefined;
    const done = readSummary(dir);
    if (done) {
      checkNotBehind(o.stopAfterEpoch, { epoch: config.epochs, batch: 0 }, dir);
      if (!existsSync(join(dir, RUN_FILES.model, MODEL_FILES.json))) await rebuildFinalModel(dir, config, ckpt, ckptDir, log);
      log(`${dir} is already finished (test accuracy ${(done.testAccuracy * 100).toFixed(2)} %)`);
      return { kind: 'finished', summary: done };
    }
    // The date is the day seeding 2 became the default: a user can tell which runs it concerns.
    if (seedingOf(config) === 1) log(`${dir} uses seeding 1 (made before 2026-12-04, or with --seeding 1): it continues with that random stream`);
    if (ckpt) checkNotBehind(o.stopAfterEpoch, ckpt.state, dir);
    if (!ckpt) log(`${dir} has no checkpoint (it stopped before its first epoch ended); training starts from the beginning`);
  } else {
    checkStopAfterEpoch(o.stopAfterEpoch, config.epochs);
    if (o.resume) log(`${dir} has no run yet; starting it`);
  }
  const configSha256 = sha256(new TextEncoder().encode(JSON.stringify(config)));
  if (ckpt?.state.configSha256 !== undefined && ckpt.state.configSha256 !== configSha256) {
    throw new RandwireError(
      'checkpoint',
      `${configPath} changed after ${ckptDir} was written; put the settings back, or delete the checkpoint to restart the run`,
    );
  }
  // Asked again to pause where it stands (a coordinator restarted): nothing to train.
  if (ckpt && ckpt.state.epoch === o.stopAfterEpoch && ckpt.state.batch === 0 && ckpt.state.epoch < config.epochs) {
    // A kill between the checkpoint and its metrics line must not leave metrics.jsonl short.
    writeMetrics(dir, ckpt.state);
    log(`${dir} is already paused after epoch ${ckpt.state.epoch} of ${config.epochs}`);
    return pausedAt(ckpt.state, config.epochs);
  }
  // The plan first: a model past a limit is refused before the backend and the data load.
  const plan = runPlan(config);
  const backend = await initBackend(config.backend);
  const data = runData(config);
  if (ckpt) checkStateFits(ckpt.state, config, data.train.count, ckptDir!);
  const cx = complexity(plan);
  if (!existsSync(configPath)) {
    writeText(configPath, JSON.stringify(config, null, 2) + '\n');
    await writeGraphs(dir, plan, log);
  }
  const optimizer = makeOptimizer(config);
  // Built from the plan even on resume, so the layers are the classes that trained.
  const model = buildModel(plan, config.model.seed);
  let state: TrainState = initialState();
  if (ckpt) {
    await restoreCheckpoint(ckpt, ckptDir!, model, optimizer);
    state = ckpt.state;
    log(`resuming ${dir} at epoch ${state.epoch + 1}, batch ${state.batch + 1}`);
  }
  state.configSha256 = configSha256;
  state.microBatch ??=
    config.microBatch === 'auto'
      ? microBatchFor(activationBytesPerImage(model, config.model.inputShape), config.batchSize)
      : Math.min(config.microBatch, config.batchSize);
  const microBatch = state.microBatch;
  const outcome = await train(model, optimizer, data, { ...config, microBatch, classes: config.model.classes, seeding: seedingOf(config) }, state, {
    onEvent: o.onEvent,
    shouldStop: o.shouldStop,
    stopAfterEpoch: o.stopAfterEpoch,
    checkpoint: async (s) => {
      await writeCheckpoint(join(dir, RUN_FILES.checkpoint), model, optimizer, s);
      writeMetrics(dir, s);
    },
  });
  if (outcome !== 'finished') {
    model.dispose();
    optimizer.dispose();
    return outcome === 'paused' ? pausedAt(state, config.epochs) : { kind: 'stopped' };
  }
  // Again here: a kill between the last checkpoint and its metrics line must not leave it short.
  writeMetrics(dir, state);
  const test = evaluate(model, data.test, data, config.model.classes);
  await writeFinalModel(dir, model, config, data);
  const last = state.history[state.history.length - 1];
  const summary: RunSummary = {
    model: config.model.model,
    config,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    testImages: test.count,
    validationAccuracy: last?.valAccuracy ?? null,
    validationLoss: last?.valLoss ?? null,
    params: cx.params,
    trainableParams: cx.trainableParams,
    flops: cx.flops,
    epochs: state.epoch,
    seconds: state.seconds,
    trainImagesPerSec: state.history.reduce((a, m) => a + m.imagesPerSec, 0) / Math.max(1, state.history.length),
    backend: backend.name,
    microBatch,
    normalization: { mean: data.mean, std: data.std },
    finishedAt: new Date().toISOString(),
  };
  // Written last: a folder with summary.json is finished; one without it is resumed.
  writeText(join(dir, RUN_FILES.summary), JSON.stringify(summary, null, 2) + '\n');
  model.dispose();
  optimizer.dispose();
  return { kind: 'finished', summary };
}
