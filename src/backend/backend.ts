import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { RandwireError } from '../core/errors.js';
import { registerWasmGradients } from './wasm-gradients.js';
import { registerGradientOverrides } from './gradient-overrides.js';
import { nativeLoadError } from './native/addon.js';
import { threadsDescription } from './native/threads.js';
import { useNativeKernels } from './native/register.js';

/** `onednn`: wasm with the oneDNN addon's kernels; `native` is its older name, still accepted. */
export const BACKENDS = ['auto', 'onednn', 'native', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface BackendInfo {
  name: string;
  requested: BackendChoice;
  tfjsVersion: string;
  /** @tensorflow/tfjs-node(-gpu) when the user installed it (never a dependency). */
  tfjsNode: string | undefined;
  tfjsNodeError: string | undefined;
  /** oneDNN convolutions on top of wasm (`npm run build:native`): their version, or why not. */
  onednn: string | undefined;
  onednnError: string | undefined;
}

/** Try the optional tfjs-node binding; it is never a dependency (its install downloads libtensorflow). */
async function tryTfjsNode(): Promise<{ name?: string; error?: string }> {
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
 * Choose and prepare the tfjs backend. auto: TensorFlow through tfjs-node if the user installed
 * @tensorflow/tfjs-node(-gpu), else wasm with the oneDNN kernels when they are built, else wasm
 * alone. onednn (or native): wasm with oneDNN, or an error saying why not. wasm gets the
 * gradient kernels it lacks.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (!(BACKENDS as readonly string[]).includes(choice)) {
    throw new RandwireError('backend', `unknown backend '${choice}' (choose one of ${BACKENDS.join(', ')})`);
  }
  if (current && current.requested === choice) return current;
  tf.enableProdMode();
  const wantsOnednn = choice === 'onednn' || choice === 'native';
  let tfjsNode: { name?: string; error?: string } = {};
  let name: string = wantsOnednn ? 'wasm' : choice;
  if (choice === 'auto') {
    tfjsNode = await tryTfjsNode();
    name = tfjsNode.name ? 'tensorflow' : 'wasm';
  }
  registerGradientOverrides();
  let onednn: string | undefined;
  if (name === 'wasm') {
    registerWasmGradients();
    onednn = useNativeKernels(choice !== 'wasm');
    if (wantsOnednn && !onednn) {
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
    tfjsNode: tfjsNode.name,
    tfjsNodeError: tfjsNode.error,
    onednn: onednn ? `${onednn} (${threadsDescription()})` : undefined,
    onednnError: onednn ? undefined : nativeLoadError(),
  };
  return current;
}
