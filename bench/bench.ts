/**
 * Training and inference speed of the project's models (not a test). One JSON line per case:
 *   npm run bench                      all cases
 *   npm run bench -- --case tinycnn    one case   (--steps N, --backend auto|native|wasm|cpu, --batch N, --micro-batch N)
 * RANDWIRE_THREADS sets the oneDNN threads (default: every core). rssGiB is the resident memory
 * after the last step; wasm memory never shrinks, so it includes the peak of the wasm heap.
 * gflops = training images/s x 6 x multiply-adds per image (forward 2 FLOPs per multiply-add,
 * backward twice the forward), the convention of ../shared/bench/torch_models.py.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend, type BackendChoice } from '../src/backend/backend.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan, type ModelOptions } from '../src/model/registry.js';
import { buildModel } from '../src/model/build.js';
import { complexity } from '../src/model/complexity.js';
import { activationBytesPerImage, microBatchFor, trainStep } from '../src/train/step.js';
import { seedLayerRng } from '../src/model/layer-rng.js';
import { makeOptimizer } from '../src/train/optimizer.js';
import { nativeThreads } from '../src/backend/native-kernels.js';

const CASES: Record<string, { options: ModelOptions; batch: number }> = {
  tinycnn: { options: { ...DEFAULT_MODEL_OPTIONS, model: 'tinycnn' }, batch: 256 },
  'randwire-ws-c32-n32': {
    options: { ...DEFAULT_MODEL_OPTIONS, model: 'randwire', generator: 'ws', graphParams: { k: 4, p: 0.75 }, channels: 32, nodes: 32 },
    batch: 128,
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function timeSteps(fn: () => void, warmup: number, steps: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

async function runCase(name: string, steps: number, backend: BackendChoice, batchOverride?: number, microOverride?: number): Promise<void> {
  const known = CASES[name];
  if (!known) throw new Error(`unknown case ${name} (cases: ${Object.keys(CASES).join(', ')})`);
  const c = { ...known, batch: batchOverride ?? known.batch };
  const info = await initBackend(backend);
  const plan = modelPlan(c.options);
  const flops = complexity(plan).flops;
  const model = buildModel(plan, 1);
  seedLayerRng(1);
  const opt = makeOptimizer({ optimizer: 'adam', lr: 1e-3, epsilon: 1e-5, momentum: 0, nesterov: false });
  const x = tf.randomNormal([c.batch, ...c.options.inputShape], 0, 1, 'float32', 1);
  const y = tf.randomUniform([c.batch], 0, c.options.classes, 'int32', 2) as tf.Tensor1D;
  // A batch whose activations exceed wasm's 4 GB heap is run as micro-batches (same gradients).
  const microBatch = microOverride ?? microBatchFor(activationBytesPerImage(model, c.options.inputShape), c.batch);
  const train = (): void => {
    trainStep(model, opt, x, y, { classes: c.options.classes, microBatch, labelSmoothing: 0, weightDecay: 0 });
  };
  const infer = (): void => {
    const p = model.predict(x) as tf.Tensor;
    p.dataSync();
    p.dispose();
  };
  const trainTimes = timeSteps(train, 2, steps);
  const inferTimes = timeSteps(infer, 1, steps);
  const trainImagesPerSec = c.batch / median(trainTimes);
  const out = {
    case: name,
    model: c.options.model,
    backend: info.name,
    threads: info.onednn ? nativeThreads() : 1,
    batch: c.batch,
    microBatch,
    trainImagesPerSec: Number(trainImagesPerSec.toFixed(2)),
    inferImagesPerSec: Number((c.batch / median(inferTimes)).toFixed(2)),
    gflops: Number(((trainImagesPerSec * 6 * flops) / 1e9).toFixed(2)),
    multiplyAddsPerImage: flops,
    trainStepSeconds: trainTimes.map((t) => Number(t.toFixed(3))),
    tensorsLeaked: 0,
    rssGiB: 0,
  };
  const before = tf.memory().numTensors;
  train();
  out.tensorsLeaked = tf.memory().numTensors - before;
  out.rssGiB = Number((process.memoryUsage().rss / 2 ** 30).toFixed(2));
  process.stdout.write(JSON.stringify(out) + '\n');
  model.dispose();
  opt.dispose();
  tf.dispose([x, y]);
}

const { values } = parseArgs({
  options: { case: { type: 'string' }, steps: { type: 'string', default: '5' }, backend: { type: 'string', default: 'auto' }, batch: { type: 'string' }, 'micro-batch': { type: 'string' } },
});
const names = values.case ? [values.case] : Object.keys(CASES);
const microBatch = values['micro-batch'] ? Number(values['micro-batch']) : undefined;
for (const n of names) await runCase(n, Number(values.steps), values.backend as BackendChoice, values.batch ? Number(values.batch) : undefined, microBatch);
