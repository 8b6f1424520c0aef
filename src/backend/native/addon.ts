import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nativeThreads, startThreadGovernor } from './threads.js';

/** The addon built by `npm run build:native` (native/randwire_native.cc). */
export interface NativeAddon {
  conv(kind: number, heap: ArrayBuffer, params: Int32Array, srcOff: number, wOff: number, biasOff: number, dstOff: number): void;
  maxPoolGrad(heap: ArrayBuffer, params: Int32Array, xOff: number, dyOff: number, dxOff: number): void;
  sumRows(heap: ArrayBuffer, m: number, c: number, xOff: number, yOff: number): void;
  batchMatMul(heap: ArrayBuffer, params: Int32Array, aOff: number, bOff: number, cOff: number): void;
  elementwise(op: number, heap: ArrayBuffer, n: number, offsets: Float64Array, numbers: Float64Array): void;
  batchNorm(kind: number, heap: ArrayBuffer, m: number, c: number, epsilon: number, offsets: Float64Array): void;
  /** Adam on every variable at once: offsets [value, m, v, g, value', m', v'] per variable, their sizes, [lr, beta1, beta2, eps, c1, c2]. */
  adamMany(heap: ArrayBuffer, offsets: Float64Array, sizes: Float64Array, numbers: Float64Array): void;
  /** Mean over height and width (kind 0: x [n, hw, c] -> y [n, c]) or its gradient (kind 1: dy -> dx). */
  spatialMean(kind: number, heap: ArrayBuffer, n: number, hw: number, c: number, inOff: number, outOff: number): void;
  implementation(kind: number, params: Int32Array): string;
  setThreads(n: number): void;
  version(): string;
  /** Raised in the C++ source whenever a call's arguments change meaning. */
  abi: number;
}

const ADDON_ABI = 6;

const ADDON_FUNCTIONS: Array<keyof NativeAddon> = [
  'conv',
  'maxPoolGrad',
  'sumRows',
  'batchMatMul',
  'elementwise',
  'batchNorm',
  'adamMany',
  'spatialMean',
  'implementation',
  'setThreads',
  'version',
];

/**
 * The addon's file: RANDWIRE_NATIVE_ADDON names another build of the same sources, such as the
 * sanitizer build (`npm run build:native -- --sanitize`, run under its runtime by
 * test/backend/native-sanitize.test.ts).
 */
export const ADDON_PATH = process.env.RANDWIRE_NATIVE_ADDON || fileURLToPath(new URL('../../../native/build/randwire_native.node', import.meta.url));

let addon: NativeAddon | undefined;
let loadError: string | undefined;

/** Load the oneDNN addon once; undefined (with `nativeLoadError()`) when it is not built or fails to load. */
export function loadNativeAddon(): NativeAddon | undefined {
  if (addon || loadError) return addon;
  // Validated even without the addon: a bad value is the user's mistake either way.
  const threads = nativeThreads();
  if (!existsSync(ADDON_PATH)) {
    loadError = `not built (${ADDON_PATH} is missing; apt-get install -y libdnnl-dev && npm run build:native)`;
    return undefined;
  }
  try {
    const loaded = createRequire(import.meta.url)(ADDON_PATH) as Partial<NativeAddon>;
    const missing = ADDON_FUNCTIONS.filter((f) => typeof loaded[f] !== 'function');
    if (missing.length) {
      loadError = `out of date (${ADDON_PATH} lacks ${missing.join(', ')}; run npm run build:native)`;
      return undefined;
    }
    if (loaded.abi !== ADDON_ABI) {
      loadError = `out of date (${ADDON_PATH} was built from older sources; run npm run build:native)`;
      return undefined;
    }
    addon = loaded as NativeAddon;
    addon.setThreads(threads);
    startThreadGovernor(threads, addon.setThreads.bind(addon));
  } catch (e) {
    loadError = (e as Error).message.split('\n')[0];
  }
  return addon;
}

export function nativeLoadError(): string | undefined {
  return loadError;
}
