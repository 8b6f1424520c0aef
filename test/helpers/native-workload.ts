/**
 * A child-process workload for the native tests (native-sanitize.test.ts, native-signals.test.ts):
 * training steps of a small RandWire on the oneDNN kernel set at the shapes training uses, with
 * batch 128 as the cpu preset trains. Batch 128 matters: the Dense layer's weight gradient is an
 * sgemm with K = 128, above the 84 that oneDNN's GEMM kernel keeps on the stack (signals.h).
 *   node --import tsx test/helpers/native-workload.ts [steps] [batch]
 * Exits non-zero (with a message) unless the addon is in use and the losses are finite; prints one
 * JSON line: the addon's file, its description, the losses.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { ADDON_PATH } from '../../src/backend/native/addon.js';
import { buildModel } from '../../src/model/build.js';
import { seedLayerRng } from '../../src/model/layer-rng.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan } from '../../src/model/registry.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { trainStep } from '../../src/train/step.js';

const steps = Number(process.argv[2] ?? 2);
const batch = Number(process.argv[3] ?? 128);
const info = await initBackend('native');
const options = { ...DEFAULT_MODEL_OPTIONS, model: 'randwire' as const, channels: 8, nodes: 8 };
const model = buildModel(modelPlan(options, 1), 1);
seedLayerRng(1, 1);
const opt = makeOptimizer({ optimizer: 'adam', lr: 1e-3, epsilon: 1e-5, momentum: 0, nesterov: false });
const x = tf.randomNormal([batch, ...options.inputShape], 0, 1, 'float32', 1);
const y = tf.randomUniform([batch], 0, options.classes, 'int32', 2) as tf.Tensor1D;
const losses: number[] = [];
for (let s = 0; s < steps; s++) {
  const { loss } = trainStep(model, opt, x, y, { classes: options.classes, microBatch: batch, labelSmoothing: 0, weightDecay: 0 });
  losses.push(loss);
}
// Inference too: the inference batch-norm kernel and the forward convolutions without the tape.
const p = model.predict(x, { batchSize: batch }) as tf.Tensor;
const finite = Array.from(p.dataSync()).every(Number.isFinite) && losses.every(Number.isFinite);
p.dispose();
process.stdout.write(JSON.stringify({ addon: ADDON_PATH, backend: info.name, onednn: info.onednn, losses }) + '\n');
if (info.name !== 'wasm+onednn' || !finite) {
  console.error(`native-workload: ${info.name !== 'wasm+onednn' ? `backend ${info.name}, not wasm+onednn` : 'non-finite loss or output'}`);
  process.exit(1);
}
