import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { readBytes, readText, writeText } from '../io/files.js';
import { sha256, verifySha256 } from '../io/checksum.js';
import { readModelArtifacts, saveModel } from '../io/model-files.js';
import { optimizerFileSchema, parseCheckpointJson, trainStateSchema, type OptimizerFile } from './checkpoint-schema.js';
import type { TrainState } from './state.js';
import { CHECKPOINT_FILES } from '../io/run-layout.js';

/** What tfjs's Adam keeps outside getWeights(). */
interface AdamPowers {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

function adamPowers(optimizer: tf.Optimizer): AdamPowers | undefined {
  return optimizer instanceof tf.AdamOptimizer ? (optimizer as unknown as AdamPowers) : undefined;
}

/**
 * Write a checkpoint (weights, optimiser state, training state) into a fresh folder and swap it
 * in, so an interruption at any moment leaves either the old or the new checkpoint whole.
 */
export async function writeCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: TrainState): Promise<void> {
  const tmp = `${dir}.tmp`;
  const old = `${dir}.old`;
  // A swap cut short left the only whole checkpoint in .old: put it back before replacing it.
  if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await saveModel(model, tmp);
  const { data, specs } = await tf.io.encodeWeights(await optimizer.getWeights());
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
  const powers = adamPowers(optimizer);
  const file: OptimizerFile = {
    className: optimizer.getClassName(),
    specs: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype as 'float32' | 'int32' })),
    sha256: sha256(bytes),
    ...(powers && { adam: { accBeta1: powers.accBeta1.dataSync()[0]!, accBeta2: powers.accBeta2.dataSync()[0]! } }),
  };
  writeText(join(tmp, CHECKPOINT_FILES.optimizerBin), bytes);
  writeText(join(tmp, CHECKPOINT_FILES.optimizerJson), JSON.stringify(file));
  writeText(join(tmp, CHECKPOINT_FILES.state), JSON.stringify(state));
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** The checkpoint folder to resume from, if any (a swap cut short leaves only `.old`). */
export function findCheckpoint(dir: string): string | undefined {
  if (existsSync(join(dir, CHECKPOINT_FILES.state))) return dir;
  if (existsSync(join(`${dir}.old`, CHECKPOINT_FILES.state))) return `${dir}.old`;
  return undefined;
}

/** A checkpoint read and checked in full, before any of it touches a model or optimiser. */
export interface Checkpoint {
  state: TrainState;
  weights: tf.io.ModelArtifacts;
  optimizer: OptimizerFile;
  optimizerBytes: Uint8Array;
}

const bytesOf = (specs: OptimizerFile['specs']): number => specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1) * 4, 0);

/** Read and validate every file of a checkpoint: schema for the JSON, sizes and SHA-256 for the binaries. */
export function readCheckpoint(dir: string): Checkpoint {
  const path = (f: string) => join(dir, f);
  const damaged = (what: string) => new RandwireError('checkpoint', `${what}; delete ${dir} to restart the run`);
  const state = parseCheckpointJson(trainStateSchema, readText(path(CHECKPOINT_FILES.state), 'checkpoint state'), path(CHECKPOINT_FILES.state));
  const optimizer = parseCheckpointJson(
    optimizerFileSchema,
    readText(path(CHECKPOINT_FILES.optimizerJson), 'optimizer state'),
    path(CHECKPOINT_FILES.optimizerJson),
  );
  if (!existsSync(path(CHECKPOINT_FILES.optimizerBin))) throw damaged(`${path(CHECKPOINT_FILES.optimizerBin)} is missing`);
  const optimizerBytes = readBytes(path(CHECKPOINT_FILES.optimizerBin), 'optimizer state');
  if (optimizerBytes.length !== bytesOf(optimizer.specs)) {
    throw damaged(`${path(CHECKPOINT_FILES.optimizerBin)} is damaged: ${optimizerBytes.length} bytes, ${bytesOf(optimizer.specs)} expected`);
  }
  verifySha256(optimizerBytes, optimizer.sha256, path(CHECKPOINT_FILES.optimizerBin), path(CHECKPOINT_FILES.optimizerJson));
  const weights = readModelArtifacts(dir);
  return { state, weights, optimizer, optimizerBytes };
}

/**
 * tfjs optimisers save the step count, then per trainable variable, in the model's order, one
 * slot (momentum) or two blocks of slots (Adam's m, then v) of the variable's shape: anything
 * else would be assigned to the wrong variables or overrun the kernels' buffers.
 */
function checkOptimizerSlots(specs: OptimizerFile['specs'], model: tf.LayersModel, dir: string): void {
  const shapes = model.trainableWeights.map((w) => w.shape.join('x'));
  const perVariable = shapes.length ? (specs.length - 1) / shapes.length : 0;
  const bad = (why: string) =>
    new RandwireError('checkpoint', `${dir}/${CHECKPOINT_FILES.optimizerJson} does not match the run's model (${why}); delete ${dir} to restart the run`);
  if (specs.length === 0 || specs[0]!.shape.length !== 0) throw bad('no step count first');
  if (!Number.isInteger(perVariable) || perVariable > 2) throw bad(`${specs.length - 1} slots for ${shapes.length} variables`);
  specs.slice(1).forEach((s, i) => {
    const expected = shapes[i % shapes.length];
    if (s.shape.join('x') !== expected) throw bad(`slot ${s.name} has shape [${s.shape.join(', ')}], its variable [${expected!.split('x').join(', ')}]`);
  });
}

/**
 * Put a checkpoint's weights into a model built from the run's plan (the same layer classes and
 * weight order as the model that wrote it) and its slots into the optimiser. Every name and shape
 * is checked before anything is assigned.
 */
export async function restoreCheckpoint(ckpt: Checkpoint, dir: string, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<void> {
  if (ckpt.optimizer.className !== optimizer.getClassName()) {
    throw new RandwireError('checkpoint', `${dir} holds ${ckpt.optimizer.className} state but the run uses ${optimizer.getClassName()}`);
  }
  const specs = ckpt.weights.weightSpecs ?? [];
  const saved = new Map(specs.map((s) => [s.name, s.shape.join('x')]));
  const mismatch = model.weights.find((w) => saved.get(w.originalName) !== w.shape.join('x'));
  if (mismatch || saved.size !== model.weights.length) {
    const what = mismatch ? `${mismatch.originalName} ${saved.has(mismatch.originalName) ? 'has another shape' : 'is missing'}` : 'it has other weights';
    throw new RandwireError('checkpoint', `${dir} does not match the run's model (${what}); delete it to restart the run`);
  }
  checkOptimizerSlots(ckpt.optimizer.specs, model, dir);
  const named = tf.io.decodeWeights(ckpt.weights.weightData as ArrayBuffer, specs);
  model.setWeights(model.weights.map((w) => named[w.originalName]!));
  tf.dispose(Object.values(named));
  const slots = tf.io.decodeWeights(new Uint8Array(ckpt.optimizerBytes).buffer, ckpt.optimizer.specs);
  // tfjs optimisers match saved slots to variables by position (the model's weight order).
  await optimizer.setWeights(ckpt.optimizer.specs.map((s) => ({ name: s.name, tensor: slots[s.name]! })));
  const powers = adamPowers(optimizer);
  if (powers && ckpt.optimizer.adam) {
    powers.accBeta1.assign(tf.scalar(ckpt.optimizer.adam.accBeta1));
    powers.accBeta2.assign(tf.scalar(ckpt.optimizer.adam.accBeta2));
  }
}
