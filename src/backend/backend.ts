import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { RandwireError } from '../core/errors.js';
import { registerWasmGradients } from './wasm-gradients.js';
import { registerFastGradients } from './batch-norm-gradient.js';

export const BACKENDS = ['auto', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface BackendInfo {
  name: string;
  requested: BackendChoice;
  tfjsVersion: string;
  nativeDetected: string | undefined;
  nativeError: string | undefined;
}

/** Try the optional native TensorFlow binding; it is never a dependency (its install downloads libtensorflow). */
async function tryNative(): Promise<{ name?: string; error?: string }> {
  const errors: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      return { name: pkg };
    } catch (e) {
      const msg = (e as Error).message;
      if (!/Cannot find (package|module)/.test(msg)) errors.push(`${pkg}: ${msg.split('\n')[0]}`);
    }
  }
  return { error: errors.length ? errors.join('; ') : undefined };
}

let current: BackendInfo | undefined;

/**
 * Choose and prepare the tfjs backend. auto: native TensorFlow if the user installed
 * @tensorflow/tfjs-node(-gpu), else wasm. wasm gets the gradient kernels it lacks.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (!(BACKENDS as readonly string[]).includes(choice)) {
    throw new RandwireError('backend', `unknown backend '${choice}' (choose one of ${BACKENDS.join(', ')})`);
  }
  if (current && current.requested === choice) return current;
  tf.enableProdMode();
  let native: { name?: string; error?: string } = {};
  let name: string = choice;
  if (choice === 'auto') {
    native = await tryNative();
    name = native.name ? 'tensorflow' : 'wasm';
  }
  registerFastGradients();
  if (name === 'wasm') registerWasmGradients();
  const ok = await tf.setBackend(name);
  if (!ok) throw new RandwireError('backend', `backend '${name}' failed to initialise`);
  await tf.ready();
  current = { name, requested: choice, tfjsVersion: tf.version_core, nativeDetected: native.name, nativeError: native.error };
  return current;
}
