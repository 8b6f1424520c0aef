import type { Rng } from '../core/rng.js';
import type { ImageSet } from './dataset.js';

export interface Batch {
  /** Normalised pixels, NHWC. */
  x: Float32Array;
  labels: Int32Array;
  size: number;
}

export interface BatchOptions {
  mean: number;
  std: number;
  /** Random shifts of up to this many pixels (zero fill); 0 disables augmentation. */
  shift?: number;
  rng?: Rng;
}

/**
 * Build one batch from byte images: (pixel/255 - mean)/std, optionally each image shifted by a
 * random (dy, dx) in [-shift, shift]. Only the batch is materialised as floats, so memory stays
 * bounded whatever the data set size.
 */
export function makeBatch(set: ImageSet, indices: ArrayLike<number>, o: BatchOptions): Batch {
  const { height: h, width: w, channels: c } = set;
  const size = h * w * c;
  const n = indices.length;
  const x = new Float32Array(n * size);
  const labels = new Int32Array(n);
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v / 255 - o.mean) / o.std;
  const background = lut[0]!;
  const shift = o.shift ?? 0;
  for (let i = 0; i < n; i++) {
    const j = indices[i]!;
    labels[i] = set.labels[j]!;
    const src = j * size;
    const dst = i * size;
    if (shift === 0 || !o.rng) {
      for (let k = 0; k < size; k++) x[dst + k] = lut[set.images[src + k]!]!;
      continue;
    }
    const dy = o.rng.int(2 * shift + 1) - shift;
    const dx = o.rng.int(2 * shift + 1) - shift;
    for (let r = 0; r < h; r++) {
      const sr = r - dy;
      for (let col = 0; col < w; col++) {
        const sc = col - dx;
        const out = dst + (r * w + col) * c;
        if (sr < 0 || sr >= h || sc < 0 || sc >= w) {
          for (let ch = 0; ch < c; ch++) x[out + ch] = background;
        } else {
          const from = src + (sr * w + sc) * c;
          for (let ch = 0; ch < c; ch++) x[out + ch] = lut[set.images[from + ch]!]!;
        }
      }
    }
  }
  return { x, labels, size: n };
}
