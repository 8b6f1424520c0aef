import * as tf from '@tensorflow/tfjs';
import { correctCount, crossEntropy } from './loss.js';
import { reportTrainingStep } from '../backend/native/threads.js';
import { nativeActive } from '../backend/native/register.js';
import { StepArena } from '../backend/native/step-arena.js';
import type { WasmBackendLike } from '../backend/kernel-call.js';
import { fusedTrainingForward } from './fused-forward.js';

export interface StepOptions {
  classes: number;
  /** Images per forward/backward pass; the batch is split into chunks of this size. */
  microBatch: number;
  labelSmoothing: number;
  /** L2 weight decay on convolution and dense kernels (added to their gradients). */
  weightDecay: number;
}

export interface StepResult {
  loss: number;
  correct: number;
}

/**
 * The training-mode forward pass: RandWire nodes fused when the native kernels run (one op each
 * way instead of about ten, see fused-forward.ts), else model.apply.
 */
function trainingForward(model: tf.LayersModel, x: tf.Tensor, arena: StepArena): tf.Tensor {
  return (nativeActive() ? fusedTrainingForward(model, x, arena) : undefined) ?? (model.apply(x, { training: true }) as tf.Tensor);
}

/** Runs f with a step arena and frees what the arena still holds however f ends. */
function withArena<T>(f: (arena: StepArena) => T): T {
  const arena = new StepArena();
  try {
    return f(arena);
  } finally {
    arena.freeAll(tf.backend() as unknown as WasmBackendLike);
  }
}

/** The trainable variables of a model, by their unique variable names. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

/**
 * Gradients of the mean loss over the whole batch, accumulated over micro-batches: each chunk's
 * loss is weighted by its share of the batch, so the sum is the full batch's gradient (exactly,
 * for models without batch norm; with it, statistics are per micro-batch as in PyTorch
 * accumulation). The caller owns the returned tensors.
 */
export function batchGradients(
  model: tf.LayersModel,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  o: StepOptions,
): { grads: tf.NamedTensorMap; loss: number; correct: number } {
  const vars = trainableVariables(model);
  const n = x.shape[0]!;
  let acc: tf.NamedTensorMap | undefined;
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += o.microBatch) {
    const size = Math.min(o.microBatch, n - start);
    const chunk = withArena((arena) =>
      tf.tidy(() => {
        const xs = size === n ? x : tf.slice(x, start, size);
        const ys = size === n ? labels : tf.slice(labels, start, size);
        let correctT: tf.Scalar | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const probs = trainingForward(model, xs, arena);
          // Kept: variableGrads disposes everything its function made except the loss.
          correctT = tf.keep(correctCount(probs, ys));
          return tf.mul(crossEntropy(probs, ys, o.classes, o.labelSmoothing), size / n) as tf.Scalar;
        }, vars);
        return { value, grads, correct: correctT! };
      }),
    );
    loss += chunk.value.dataSync()[0]!;
    correct += chunk.correct.dataSync()[0]!;
    tf.dispose([chunk.value, chunk.correct]);
    if (acc === undefined) {
      acc = chunk.grads;
    } else {
      const prev: tf.NamedTensorMap = acc;
      acc = tf.tidy(() => Object.fromEntries(Object.entries(prev).map(([k, g]) => [k, tf.add(g, chunk.grads[k]!)])));
      tf.dispose(Object.values(prev));
      tf.dispose(Object.values(chunk.grads));
    }
  }
  if (o.weightDecay > 0 && acc) {
    const prev: tf.NamedTensorMap = acc;
    const decayed = tf.tidy(() =>
      Object.fromEntries(vars.map((v) => [v.name, /kernel/.test(v.name) ? tf.add(prev[v.name]!, tf.mul(v, o.weightDecay)) : tf.clone(prev[v.name]!)])),
    );
    tf.dispose(Object.values(prev));
    acc = decayed;
  }
  return { grads: acc ?? {}, loss, correct };
}

/** One optimiser step on a batch: accumulate gradients over micro-batches, then apply them. */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, labels: tf.Tensor1D, o: StepOptions): StepResult {
  const t0 = performance.now();
  const { grads, loss, correct } = batchGradients(model, x, labels, o);
  optimizer.applyGradients(grads);
  tf.dispose(Object.values(grads));
  reportTrainingStep((performance.now() - t0) / 1000, x.shape[0]!);
  return { loss, correct };
}

/** Micro-batch size that keeps the activations of one pass within a memory budget. */
export function microBatchFor(bytesPerImage: number, batch: number, budgetBytes = 2e9): number {
  const fit = Math.max(1, Math.floor(budgetBytes / Math.max(1, bytesPerImage)));
  if (fit >= batch) return batch;
  let p = 1;
  while (p * 2 <= fit) p *= 2;
  return p;
}

/**
 * Bytes of tensors alive at the end of one training-mode forward pass, per image (probed on a few
 * zero images). The probe's batch-norm moving-statistics updates are undone.
 */
export function activationBytesPerImage(model: tf.LayersModel, inputShape: number[], probe = 2): number {
  const saved = model.nonTrainableWeights.map((w) => tf.clone(w.read()));
  const before = tf.memory().numBytes;
  let peak = before;
  withArena((arena) =>
    tf.tidy(() => {
      const x = tf.zeros([probe, ...inputShape]);
      // Under a gradient tape, as in training, every intermediate stays alive until backward;
      // fused nodes keep theirs in the arena, outside the engine's count.
      tf.variableGrads(() => {
        const y = trainingForward(model, x, arena);
        peak = tf.memory().numBytes + arena.bytes;
        return tf.sum(y) as tf.Scalar;
      }, trainableVariables(model));
    }),
  );
  model.nonTrainableWeights.forEach((w, i) => w.write(saved[i]!));
  tf.dispose(saved);
  return (peak - before) / probe;
}
