/** The benchmark cases and their set-up, shared by bench.ts and the scaling workers. */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice, type BackendInfo } from '../src/backend/backend.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan, type ModelOptions } from '../src/model/registry.js';
import { buildModel } from '../src/model/build.js';
import { complexity } from '../src/model/complexity.js';
import { activationBytesPerImage, microBatchFor, trainStep } from '../src/train/step.js';
import { seedLayerRng } from '../src/model/layer-rng.js';
import { makeOptimizer } from '../src/train/optimizer.js';

export const CASES: Record<string, { options: ModelOptions; batch: number; extra?: boolean }> = {
  tinycnn: { options: { ...DEFAULT_MODEL_OPTIONS, model: 'tinycnn' }, batch: 256 },
  'randwire-ws-c32-n32': {
    options: { ...DEFAULT_MODEL_OPTIONS, model: 'randwire', generator: 'ws', graphParams: { k: 4, p: 0.75 }, channels: 32, nodes: 32 },
    batch: 128,
  },
  // The study's own networks at the study's size; these and the next are for `--case NAME` only.
  'randwire-ws-c78-n32': {
    options: { ...DEFAULT_MODEL_OPTIONS, model: 'randwire', generator: 'ws', graphParams: { k: 4, p: 0.75 }, channels: 78, nodes: 32 },
    batch: 64,
    extra: true,
  },
  alexnet: { options: { ...DEFAULT_MODEL_OPTIONS, model: 'alexnet' }, batch: 128, extra: true },
  handmadecnn: { options: { ...DEFAULT_MODEL_OPTIONS, model: 'handmadecnn' }, batch: 256, extra: true },
  // The smallest RandWire a search trains (issue #20's first size).
  'randwire-ws-c8-n16': {
    options: { ...DEFAULT_MODEL_OPTIONS, model: 'randwire', generator: 'ws', graphParams: { k: 4, p: 0.75 }, channels: 8, nodes: 16 },
    batch: 128,
    extra: true,
  },
  // What `reproduce --preset cpu` trains, one model per worker.
  'randwire-ws-c16-n32': {
    options: { ...DEFAULT_MODEL_OPTIONS, model: 'randwire', generator: 'ws', graphParams: { k: 4, p: 0.75 }, channels: 16, nodes: 32 },
    batch: 128,
    extra: true,
  },
};

/** A whole number >= min from a command-line flag, or a one-line error. */
export function count(flag: string, raw: string | undefined, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be a whole number >= ${min}, got '${raw}'`);
  return n;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * The backend's sgemm speed (a 1024 x 1024 x 1024 product, median of 5 after 2 warm-up runs), in
 * GFLOP/s: the ceiling that a network's GFLOP/s are read against.
 */
export function sgemmGflops(size = 1024): number {
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 11);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 12);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    if (i >= 2) times.push((performance.now() - t0) / 1000);
    c.dispose();
  }
  tf.dispose([a, b]);
  return Number(((2 * size ** 3) / median(times) / 1e9).toFixed(1));
}

export interface PreparedCase {
  info: BackendInfo;
  batch: number;
  microBatch: number;
  /** Multiply-adds of one image's forward pass. */
  flops: number;
  /** One training step (Adam) on a fixed random batch. */
  train(): void;
  /** One forward pass in inference mode, read back to the host. */
  infer(): void;
  dispose(): void;
}

export async function prepareCase(name: string, backend: BackendChoice, batchOverride?: number, microOverride?: number): Promise<PreparedCase> {
  const known = CASES[name];
  if (!known) throw new Error(`unknown case ${name} (cases: ${Object.keys(CASES).join(', ')})`);
  const batch = batchOverride ?? known.batch;
  const options = known.options;
  const info = await initBackend(backend);
  // Seeding 1: the graphs the speeds in docs/performance.md were measured on.
  const plan = modelPlan(options, 1);
  const model = buildModel(plan, 1);
  seedLayerRng(1, 1);
  const opt = makeOptimizer({ optimizer: 'adam', lr: 1e-3, epsilon: 1e-5, momentum: 0, nesterov: false });
  const x = tf.randomNormal([batch, ...options.inputShape], 0, 1, 'float32', 1);
  const y = tf.randomUniform([batch], 0, options.classes, 'int32', 2) as tf.Tensor1D;
  // A batch whose activations exceed wasm's 4 GB heap is run as micro-batches (same gradients).
  const microBatch = microOverride ?? microBatchFor(activationBytesPerImage(model, options.inputShape), batch);
  return {
    info,
    batch,
    microBatch,
    flops: complexity(plan).flops,
    train: () => {
      trainStep(model, opt, x, y, { classes: options.classes, microBatch, labelSmoothing: 0, weightDecay: 0 });
    },
    infer: () => {
      // The whole batch at once, as the PyTorch reference does (predict's default is 32).
      const p = model.predict(x, { batchSize: batch }) as tf.Tensor;
      p.dataSync();
      p.dispose();
    },
    dispose: () => {
      model.dispose();
      opt.dispose();
      tf.dispose([x, y]);
    },
  };
}
