/**
 * Where a training step's time goes, kernel by kernel (not a test): tf.profile over a few steps of
 * a benchmark case, one line per kernel, the costliest first.
 *   npm run bench:profile -- --case randwire-ws-c32-n32 [--steps N] [--backend B] [--batch N] [--micro-batch N] [--top N] [--by-shape]
 * --by-shape: one line per kernel and input/output shapes (which convolution, which tensor size).
 * Kernel times of nested scopes (tf.customGrad's "unnamed scope", a fused op's wrapper) include
 * the kernels inside them, so the column does not add up to the step.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { plural } from '../src/core/format.js';
import { BACKENDS, type BackendChoice } from '../src/backend/backend.js';
import { nativeThreads } from '../src/backend/native/threads.js';
import { CASES, count, prepareCase } from './cases.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', default: 'randwire-ws-c32-n32' },
      steps: { type: 'string', default: '4' },
      backend: { type: 'string', default: 'auto' },
      batch: { type: 'string' },
      'micro-batch': { type: 'string' },
      top: { type: 'string', default: '20' },
      'by-shape': { type: 'boolean', default: false },
    },
  });
  if (!CASES[values.case]) throw new Error(`unknown case ${values.case} (cases: ${Object.keys(CASES).join(', ')})`);
  const backend = values.backend as BackendChoice;
  if (!BACKENDS.includes(backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got '${values.backend}'`);
  const steps = count('steps', values.steps)!;
  const top = count('top', values.top)!;
  const c = await prepareCase(values.case, backend, count('batch', values.batch), count('micro-batch', values['micro-batch']));
  c.train();
  c.train();
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) c.train();
  const stepMs = (performance.now() - t0) / steps;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (let s = 0; s < steps; s++) {
    const info = await tf.profile(() => c.train());
    for (const k of info.kernels) {
      const key = values['by-shape'] ? `${k.name} ${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)}` : k.name;
      const e = byKernel.get(key) ?? { ms: 0, calls: 0 };
      e.ms += k.kernelTimeMs as number;
      e.calls++;
      byKernel.set(key, e);
    }
  }
  const threads = c.info.onednn ? nativeThreads() : 1;
  console.log(
    `${values.case} on ${c.info.name}, ${plural(threads, 'thread')}, batch ${c.batch} (micro-batch ${c.microBatch}): ${stepMs.toFixed(0)} ms per step unprofiled`,
  );
  // Shape keys are long, so they go last.
  const row = (name: string, ms: string, calls: string): string =>
    values['by-shape'] ? `${ms.padStart(8)} ${calls.padStart(10)}  ${name}` : `${name.padEnd(40)} ${ms.padStart(8)} ${calls.padStart(10)}`;
  console.log(row('kernel', 'ms/step', 'calls/step'));
  for (const [name, e] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
    console.log(row(name, (e.ms / steps).toFixed(1), String(e.calls / steps)));
  }
  c.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:profile: ${(e as Error).message}\n`);
  process.exit(2);
});
