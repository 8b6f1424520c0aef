import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { RandwireError } from '../core/errors.js';
import { registerWasmGradients } from './wasm-gradients.js';
import { registerFastGradients } from './fast-gradients.js';
import { nativeLoadError, nativeThreads, useNativeKernels } from './native-kernels.js';

export const BACKENDS = ['auto', 'native', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface BackendInfo {
  name: string;
  requested: BackendChoice;
  tfjsVersion: string;
  nativeDetected: string | undefined;
  nativeError: string | undefined;
  /** oneDNN convolutions on top of wasm (`npm run build:native`): their version, or why not. */
  onednn: string | undefined;
  onednnError: string | undefined;
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
 * @tensorflow/tfjs-node(-gpu), else wasm with the oneDNN convolutions when they are built, else
 * wasm alone. native: wasm with oneDNN, or an error saying why not. wasm gets the gradient
 * kernels it lacks.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (!(BACKENDS as readonly string[]).includes(choice)) {
    throw new RandwireError('backend', `unknown backend '${choice}' (choose one of ${BACKENDS.join(', ')})`);
  }
  if (current && current.requested === choice) return current;
  tf.enableProdMode();
  let native: { name?: string; error?: string } = {};
  let name: string = choice === 'native' ? 'wasm' : choice;
  if (choice === 'auto') {
    native = await tryNative();
    name = native.name ? 'tensorflow' : 'wasm';
  }
  registerFastGradients();
  let onednn: string | undefined;
  if (name === 'wasm') {
    registerWasmGradients();
    onednn = useNativeKernels(choice !== 'wasm');
    if (choice === 'native' && !onednn) {
      throw new RandwireError('backend', `the oneDNN kernels are ${nativeLoadError() ?? 'unavailable'}; use --backend wasm or auto`);
    }
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new RandwireError('backend', `backend '${name}' failed to initialise`);
  await tf.ready();
  current = {
    name: onednn ? 'wasm+onednn' : name,
    requested: choice,
    tfjsVersion: tf.version_core,
    nativeDetected: native.name,
    nativeError: native.error,
    onednn: onednn ? `${onednn} (RANDWIRE_THREADS=${nativeThreads()})` : undefined,
    onednnError: onednn ? undefined : nativeLoadError(),
  };
  return current;
}
