import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { writeText } from '../io/files.js';
import { loadModel, saveModel } from '../io/model-files.js';
import type { TrainState } from './state.js';

const STATE = 'state.json';
const OPT_JSON = 'optimizer.json';
const OPT_BIN = 'optimizer.bin';

/**
 * Write a checkpoint (weights, optimiser state, training state) into a fresh folder and swap it
 * in, so an interruption at any moment leaves either the old or the new checkpoint whole.
 */
export async function writeCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: TrainState): Promise<void> {
  const tmp = `${dir}.tmp`;
  const old = `${dir}.old`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await saveModel(model, tmp);
  const weights = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(weights);
  writeText(join(tmp, OPT_BIN), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
  writeText(join(tmp, OPT_JSON), JSON.stringify({ className: optimizer.getClassName(), specs }));
  writeText(join(tmp, STATE), JSON.stringify(state));
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** The checkpoint folder to resume from, if any (a swap cut short leaves only `.old`). */
export function findCheckpoint(dir: string): string | undefined {
  if (existsSync(join(dir, STATE))) return dir;
  if (existsSync(join(`${dir}.old`, STATE))) return `${dir}.old`;
  return undefined;
}

export async function readCheckpoint(dir: string, optimizer: tf.Optimizer): Promise<{ model: tf.LayersModel; state: TrainState }> {
  let state: TrainState;
  let opt: { className: string; specs: tf.io.WeightsManifestEntry[] };
  try {
    state = JSON.parse(readFileSync(join(dir, STATE), 'utf8')) as TrainState;
    opt = JSON.parse(readFileSync(join(dir, OPT_JSON), 'utf8'));
  } catch (e) {
    throw new RandwireError('checkpoint', `${dir} is damaged (${(e as Error).message}); delete it to restart the run`);
  }
  if (opt.className !== optimizer.getClassName()) {
    throw new RandwireError('checkpoint', `${dir} holds ${opt.className} state but the run uses ${optimizer.getClassName()}`);
  }
  const model = await loadModel(dir);
  const bytes = readFileSync(join(dir, OPT_BIN));
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), opt.specs);
  // tfjs optimisers match saved slots to variables by position (the model's weight order).
  await optimizer.setWeights(opt.specs.map((s) => ({ name: s.name, tensor: named[s.name]! })));
  return { model, state };
}
