/**
 * Training and inference speed of the project's models (not a test). One JSON line per case:
 *   npm run bench                      the two cases of ../shared/bench/compare (tinycnn, randwire-ws-c32-n32)
 *   npm run bench -- --case tinycnn    one case   (--steps N, --backend auto|native|wasm|cpu, --batch N, --micro-batch N);
 *     also the study's own networks (randwire-ws-c78-n32, alexnet, handmadecnn) and the cpu preset's randwire-ws-c16-n32
 *   npm run bench -- --case tinycnn --workers 2   scaling: one worker alone vs N at once (see scaling.ts)
 *   npm run bench -- --case tinycnn --contention 1   measured while 1 busy process competes for the cores
 *   npm run bench -- --case randwire-ws-c16-n32 --fusion nodes|off   RandWire nodes one op each, or layer by layer (before issue #20)
 * RANDWIRE_THREADS sets the oneDNN threads (default: every core). rssGiB is the resident memory
 * after the last step; wasm memory never shrinks, so it includes the peak of the wasm heap.
 * gflops = training images/s x 6 x multiply-adds per image (forward 2 FLOPs per multiply-add,
 * backward twice the forward), the convention of ../shared/bench/torch_models.py; sgemmGflops, the
 * same backend's 1024^3 matrix product, is the machine's ceiling to read it against.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { BACKENDS, type BackendChoice } from '../src/backend/backend.js';
import { nativeThreads } from '../src/backend/native/threads.js';
import { CASES, count, median, prepareCase, sgemmGflops } from './cases.js';
import { runScaling } from './scaling.js';
import { withContention } from './contention.js';
import { FUSION_MODES, setFusionMode, type FusionMode } from '../src/train/fused-forward.js';

/**
 * Warm-up until steady state: at least `warmup` steps and WARMUP_SECONDS (two steps left small
 * networks up to 25 % below their steady speed: oneDNN's primitive cache, V8's tiers, the heap's growth).
 */
const WARMUP_SECONDS = 3;

function timeSteps(fn: () => void, warmup: number, steps: number): number[] {
  const start = performance.now();
  for (let i = 0; i < warmup || performance.now() - start < WARMUP_SECONDS * 1000; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

async function runCase(name: string, steps: number, backend: BackendChoice, batchOverride?: number, microOverride?: number, busy = 0): Promise<void> {
  const c = await prepareCase(name, backend, batchOverride, microOverride);
  // Inference and sgemm first: the thread governor may end training on one of its one-thread
  // trial steps, and its setting stays until the next training step.
  const inferTimes = timeSteps(c.infer, 5, steps);
  const sgemm = sgemmGflops();
  const trainTimes = timeSteps(c.train, 5, steps);
  const trainImagesPerSec = c.batch / median(trainTimes);
  const out = {
    case: name,
    model: CASES[name]!.options.model,
    backend: c.info.name,
    threads: c.info.onednn ? nativeThreads() : 1,
    busyProcesses: busy,
    batch: c.batch,
    microBatch: c.microBatch,
    trainImagesPerSec: Number(trainImagesPerSec.toFixed(2)),
    inferImagesPerSec: Number((c.batch / median(inferTimes)).toFixed(2)),
    gflops: Number(((trainImagesPerSec * 6 * c.flops) / 1e9).toFixed(2)),
    sgemmGflops: sgemm,
    multiplyAddsPerImage: c.flops,
    trainStepSeconds: trainTimes.map((t) => Number(t.toFixed(3))),
    tensorsLeaked: 0,
    rssGiB: 0,
  };
  const before = tf.memory().numTensors;
  c.train();
  out.tensorsLeaked = tf.memory().numTensors - before;
  out.rssGiB = Number((process.memoryUsage().rss / 2 ** 30).toFixed(2));
  process.stdout.write(JSON.stringify(out) + '\n');
  c.dispose();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string' },
      steps: { type: 'string', default: '5' },
      backend: { type: 'string', default: 'auto' },
      batch: { type: 'string' },
      'micro-batch': { type: 'string' },
      workers: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '8' },
      contention: { type: 'string', default: '0' },
      // How RandWire nodes train (src/train/fused-forward.ts): what fusing them changes.
      fusion: { type: 'string', default: 'segments' },
    },
  });
  const fusion = values.fusion as FusionMode;
  if (!FUSION_MODES.includes(fusion)) throw new Error(`--fusion must be one of ${FUSION_MODES.join(', ')}, got '${values.fusion}'`);
  setFusionMode(fusion);
  const names = values.case ? [values.case] : Object.keys(CASES).filter((n) => !CASES[n]!.extra);
  for (const n of names) if (!CASES[n]) throw new Error(`unknown case ${n} (cases: ${Object.keys(CASES).join(', ')})`);
  const backend = values.backend as BackendChoice;
  if (!BACKENDS.includes(backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got '${values.backend}'`);
  const batch = count('batch', values.batch);
  const microBatch = count('micro-batch', values['micro-batch']);
  const steps = count('steps', values.steps)!;
  const busy = count('contention', values.contention, 0)!;
  for (const n of names) {
    if (values.workers) {
      // The scaling workers train in forked processes of their own, always the default way.
      if (fusion !== 'segments') throw new Error('--fusion applies to one process; --workers trains with the default (segments)');
      const seconds = Number(values.seconds);
      if (!(seconds > 0)) throw new Error(`--seconds must be a number > 0, got '${values.seconds}'`);
      const workers = count('workers', values.workers, 2)!;
      await runScaling({ name: n, workers, rounds: count('rounds', values.rounds)!, seconds, backend, batch, microBatch });
    } else {
      await withContention(busy, () => runCase(n, steps, backend, batch, microBatch, busy));
    }
  }
}

// A bad flag is one line and exit code 2, not a stack trace.
main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(2);
});
