import { getBackend, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { loadNativeAddon, type NativeAddon } from './addon.js';
import { batchNormKernels, elementwiseKernels } from './added-kernels.js';
import { ONEDNN_KERNELS } from './kernel-names.js';
import { REPLACED_KERNELS, replacedKernels } from './replaced-kernels.js';
import { setGovernorActivity } from './threads.js';
import { setFastPathPredicate } from '../../model/fast-path.js';

let addon: NativeAddon | undefined;

let originals: Partial<Record<string, KernelConfig>> | undefined;
let replacements: KernelConfig[] | undefined;

function swapIn(configs: KernelConfig[]): void {
  for (const config of configs) {
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}

/**
 * Put the oneDNN convolutions in place of the wasm ones (on: after registerWasmGradients, whose
 * kernels become the fallbacks), or put the wasm ones back (off). Returns the addon's
 * description when on, undefined when the addon is absent (see nativeLoadError) or off.
 * Call before the wasm backend initialises: wasm kernels bind their functions in setup hooks,
 * which the replacements keep so that the fallbacks work.
 */
export function useNativeKernels(on: boolean): string | undefined {
  const native = on ? loadNativeAddon() : addon;
  addon = native;
  setGovernorActivity(nativeActive);
  if (!native) return undefined;
  if (!originals) {
    const saved: Partial<Record<string, KernelConfig>> = {};
    for (const name of REPLACED_KERNELS) saved[name] = getKernel(name, 'wasm');
    const funcs = Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, v?.kernelFunc]));
    replacements = replacedKernels(native, funcs).map(({ name, func }) => ({ ...saved[name], kernelName: name, backendName: 'wasm', kernelFunc: func }));
    originals = saved;
  }
  if (!getKernel(ONEDNN_KERNELS.batchNormTrain, 'wasm')) {
    // New kernel names: nothing to restore, and the layer only calls them while nativeActive().
    for (const { name, func } of [...batchNormKernels(native), ...elementwiseKernels(native)])
      registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: func });
  }
  const active = getKernel('Conv2D', 'wasm')?.kernelFunc === replacements?.find((r) => r.kernelName === 'Conv2D')?.kernelFunc;
  if (on && !active) swapIn(replacements ?? []);
  if (!on && active) swapIn(Object.values(originals).filter((c): c is KernelConfig => c !== undefined));
  nativeOn = on;
  return on ? native.version() : undefined;
}

let nativeOn = false;

// The model's layers ask this module, injected so that they load in a browser.
setFastPathPredicate(() => nativeActive());

/** Whether the oneDNN kernels run now: the addon is in place and wasm is the current backend. */
export function nativeActive(): boolean {
  return nativeOn && getBackend() === 'wasm';
}
