import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/idx-files.js';
import { firstN } from '../../src/data/dataset.js';
import { encodeIdx } from '../../src/data/idx.js';

/** A small IDX data set cut from real MNIST (train images gzipped, to exercise both paths). */
export function writeTinyMnist(dir: string, trainCount: number, testCount: number): string {
  mkdirSync(dir, { recursive: true });
  const d = loadDataset();
  const tr = firstN(d.train, trainCount);
  const te = firstN(d.test, testCount);
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx([tr.count, 28, 28], tr.images)));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([tr.count], tr.labels));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([te.count, 28, 28], te.images));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([te.count], te.labels));
  return dir;
}
