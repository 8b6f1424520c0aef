import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/backend.js';
import { loadNativeAddon, nativeLoadError } from '../../src/backend/native/addon.js';

// The oneDNN kernels are optional (npm run build:native). CI builds them and sets
// RANDWIRE_REQUIRE_NATIVE=1, so there a missing addon fails instead of skipping.
export const nativeAvailable = loadNativeAddon() !== undefined;
export const nativeRequired = process.env.RANDWIRE_REQUIRE_NATIVE === '1';
/** A test's `skip` option: the reason when the addon is missing and not required, else false. */
export const nativeSkip: string | false = !nativeAvailable && !nativeRequired ? `oneDNN addon ${nativeLoadError()}` : false;

/** The native backend with cpu initialised too (for comparisons), wasm current; nothing without the addon. */
export async function nativeAndCpu(): Promise<void> {
  if (!nativeAvailable) return;
  await initBackend('native');
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
}
