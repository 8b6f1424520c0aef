import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { deriveSeed } from '../core/rng.js';
import { initBackend } from '../backend/backend.js';
import { loadDataset } from '../data/idx-files.js';
import { sampleSet, splitTrainValidation } from '../data/split.js';
import type { Dataset } from '../data/dataset.js';
import { modelPlan } from '../model/registry.js';
import { complexity } from '../model/complexity.js';
import { buildModel } from '../model/build.js';
import type { ModelPlan } from '../model/plan.js';
import { stringifyGraph } from '../graph/format.js';
import { drawGraph } from '../graph/draw.js';
import type { RandomGraph } from '../graph/types.js';
import { writeText } from '../io/files.js';
import { saveModel } from '../io/model-files.js';
import { makeOptimizer, type OptimizerName } from '../train/optimizer.js';
import type { ScheduleName } from '../train/schedule.js';
import { activationBytesPerImage, microBatchFor } from '../train/step.js';
import { evaluate } from '../train/evaluate.js';
import { findCheckpoint, readCheckpoint, writeCheckpoint } from '../train/checkpoint.js';
import { initialState, type TrainState } from '../train/state.js';
import { train, type TrainEvent } from '../train/trainer.js';
import { validateTrainConfig, type TrainConfig } from './config.js';

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

export interface RunOptions {
  resume?: boolean;
  onEvent?: (e: TrainEvent) => void;
  shouldStop?: () => boolean;
  log?: (line: string) => void;
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
  return validateTrainConfig(readJson(join(dir, RUN_FILES.config), 'run config'));
}

export function readSummary(dir: string): RunSummary | undefined {
  const p = join(dir, RUN_FILES.summary);
  return existsSync(p) ? readJson<RunSummary>(p, 'summary') : undefined;
}

/** The data a run trains and evaluates on, split exactly as in training (seeded). */
export function runData(config: TrainConfig, dataset?: Dataset) {
  const d = dataset ?? loadDataset(config.data);
  const [h, w, c] = config.model.inputShape;
  if (d.train.height !== h || d.train.width !== w || d.train.channels !== c) {
    throw new RandwireError('data', `the data is ${d.train.height}x${d.train.width}x${d.train.channels} but the model expects ${h}x${w}x${c} (set --input)`);
  }
  if (d.classes > config.model.classes) {
    throw new RandwireError('data', `the data has labels up to ${d.classes - 1} but the model has ${config.model.classes} classes (set --classes)`);
  }
  const { train: trainSet, validation } = splitTrainValidation(d.train, config.valSize, deriveSeed(config.seed, 'data/split'), config.trainLimit);
  const test = config.testLimit ? sampleSet(d.test, config.testLimit, deriveSeed(config.seed, 'data/test')) : d.test;
  return { dataset: d, train: trainSet, validation, test, mean: d.mean, std: d.std };
}

async function writeGraphs(dir: string, plan: ModelPlan): Promise<void> {
  const rw = plan.metadata.randwire as { graphs: RandomGraph[] } | undefined;
  if (!rw) return;
  for (const [i, g] of rw.graphs.entries()) {
    writeText(join(dir, RUN_FILES.graphs, `stage-${i + 1}.json`), stringifyGraph(g) + '\n');
    writeText(join(dir, RUN_FILES.graphs, `stage-${i + 1}.svg`), await drawGraph(g, g.generator === 'ws' ? 'ring' : 'dag', `stage ${i + 1}: ${g.generator.toUpperCase()}(${Object.values(g.params).join(', ')}), N=${g.nodes}`));
  }
}

/**
 * Train one model into a run folder: config.json, graphs/, metrics.jsonl, checkpoint/ after
 * every epoch, then model/ and summary.json. With `resume`, continue from the checkpoint.
 */
export async function trainRun(rawConfig: TrainConfig, dir: string, o: RunOptions = {}): Promise<RunSummary | undefined> {
  const log = o.log ?? (() => {});
  const configPath = join(dir, RUN_FILES.config);
  let config = validateTrainConfig(rawConfig);
  if (existsSync(configPath)) {
    if (!o.resume) throw new RandwireError('run', `${dir} already holds a run; pass --resume to continue it or choose another --out`);
    config = readRunConfig(dir);
    log(`using ${configPath}; training flags given with --resume are ignored`);
    const done = readSummary(dir);
    if (done) {
      log(`${dir} is already finished (test accuracy ${(done.testAccuracy * 100).toFixed(2)} %)`);
      return done;
    }
  } else if (o.resume) {
    log(`${dir} has no run yet; starting it`);
  }
  const backend = await initBackend(config.backend);
  const data = runData(config);
  const plan = modelPlan(config.model);
  const cx = complexity(plan);
  if (!existsSync(configPath)) {
    writeText(configPath, JSON.stringify(config, null, 2) + '\n');
    await writeGraphs(dir, plan);
  }
  const optimizer = makeOptimizer({ optimizer: config.optimizer as OptimizerName, lr: config.lr, epsilon: config.epsilon, momentum: config.momentum, nesterov: config.nesterov });
  let model: tf.LayersModel;
  let state: TrainState;
  const ckpt = findCheckpoint(join(dir, RUN_FILES.checkpoint));
  if (ckpt) {
    ({ model, state } = await readCheckpoint(ckpt, optimizer));
    log(`resuming ${dir} at epoch ${state.epoch + 1}, batch ${state.batch + 1}`);
  } else {
    model = buildModel(plan, config.model.seed);
    state = initialState();
  }
  const microBatch = config.microBatch === 'auto'
    ? microBatchFor(activationBytesPerImage(model, config.model.inputShape), config.batchSize)
    : Math.min(config.microBatch, config.batchSize);
  const outcome = await train(
    model,
    optimizer,
    data,
    {
      schedule: config.schedule as ScheduleName, lr: config.lr, epochs: config.epochs, warmupEpochs: config.warmupEpochs,
      stepEpochs: config.stepEpochs, stepGamma: config.stepGamma, batchSize: config.batchSize, microBatch,
      classes: config.model.classes, labelSmoothing: config.labelSmoothing, weightDecay: config.weightDecay,
      augment: config.augment, seed: config.seed,
    },
    state,
    {
      onEvent: o.onEvent,
      shouldStop: o.shouldStop,
      checkpoint: async (s) => {
        await writeCheckpoint(join(dir, RUN_FILES.checkpoint), model, optimizer, s);
        writeText(join(dir, RUN_FILES.metrics), s.history.map((m) => JSON.stringify(m)).join('\n') + (s.history.length ? '\n' : ''));
      },
    },
  );
  if (outcome === 'stopped') {
    model.dispose();
    optimizer.dispose();
    return undefined;
  }
  const test = evaluate(model, data.test, data, config.model.classes);
  await saveModel(model, join(dir, RUN_FILES.model));
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
  writeText(join(dir, RUN_FILES.summary), JSON.stringify(summary, null, 2) + '\n');
  model.dispose();
  optimizer.dispose();
  return summary;
}
