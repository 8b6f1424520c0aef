/** Images as bytes (NHWC, 0-255) with integer labels; normalised lazily, one batch at a time. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

export interface Dataset {
  name: string;
  train: ImageSet;
  test: ImageSet;
  classes: number;
  /** Per-channel pixel mean and std of the training images, on the 0-1 scale. */
  mean: number;
  std: number;
}

/** A subset of an image set, by indices (copies; used for validation splits and test subsets). */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j]!;
  }
  return { ...set, images, labels, count: indices.length };
}

export function firstN(set: ImageSet, n: number): ImageSet {
  return subset(
    set,
    Array.from({ length: Math.min(n, set.count) }, (_, i) => i),
  );
}

/** Mean and std of all pixels on the 0-1 scale. */
export function pixelStats(set: ImageSet): { mean: number; std: number } {
  const hist = new Float64Array(256);
  for (let i = 0; i < set.images.length; i++) hist[set.images[i]!]!++;
  let sum = 0;
  let sq = 0;
  for (let v = 0; v < 256; v++) {
    sum += hist[v]! * (v / 255);
    sq += hist[v]! * (v / 255) ** 2;
  }
  const n = set.images.length;
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(sq / n - mean * mean, 1e-12)) };
}
