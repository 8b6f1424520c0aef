/**
 * What one addon call costs beyond its work (not a test): tiny calls, with and without waking the
 * OpenMP threads, each timed over 20,000 calls.
 *   node --import tsx bench/call-overhead.ts
 */
import { loadNativeAddon, nativeLoadError } from '../src/backend/native/addon.js';

const addon = loadNativeAddon();
if (!addon) {
  process.stderr.write(`call-overhead: the oneDNN addon is ${nativeLoadError()}\n`);
  process.exit(2);
}
const heap = new ArrayBuffer(1 << 24);
const F = 4;
const none = new Float64Array(0);
const time = (label: string, call: () => void): void => {
  for (let i = 0; i < 2000; i++) call();
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) call();
  process.stdout.write(`${label}: ${(((performance.now() - t0) / n) * 1000).toFixed(2)} us\n`);
};
const offsets = Float64Array.of(0, 1024 * F, 2048 * F);
time('add of 64 floats, one thread (below the threads threshold)', () => addon.elementwise(5, heap, 64, offsets, none));
time('add of 40,000 floats, all threads', () => addon.elementwise(5, heap, 40_000, Float64Array.of(0, 40_000 * F, 80_000 * F), none));
time('batch norm forward of [4, 16], all threads', () =>
  addon.batchNorm(0, heap, 4, 16, 1e-3, Float64Array.of(0, 1000 * F, 1100 * F, 1200 * F, 1300 * F, 1400 * F, 0, 0, 0, 0)),
);
