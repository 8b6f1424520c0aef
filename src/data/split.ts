import { Rng, type Seeding } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';
import { subset, type ImageSet } from './dataset.js';

/**
 * Carve a validation set out of the training set by a seeded shuffle (the test set is kept for
 * the final evaluation only). Optionally keep only `limit` training images (quick runs).
 */
export function splitTrainValidation(
  train: ImageSet,
  valSize: number,
  seed: number,
  seeding: Seeding,
  limit?: number,
): { train: ImageSet; validation: ImageSet } {
  if (!Number.isInteger(valSize) || valSize < 0) throw new RandwireError('data', `validation size must be an integer >= 0, got ${valSize}`);
  if (valSize >= train.count) {
    throw new RandwireError('data', `validation size ${valSize} leaves no training images (the training set has ${train.count})`);
  }
  const order = Rng.fromSeed(seed, seeding).shuffle(Array.from({ length: train.count }, (_, i) => i));
  const val = order.slice(0, valSize).sort((a, b) => a - b);
  let rest = order.slice(valSize);
  if (limit !== undefined) rest = rest.slice(0, limit);
  rest.sort((a, b) => a - b);
  return { train: subset(train, rest), validation: subset(train, val) };
}

/** A seeded subset of n images (for quick evaluations on part of a test set). */
export function sampleSet(set: ImageSet, n: number, seed: number, seeding: Seeding): ImageSet {
  if (n >= set.count) return set;
  const order = Rng.fromSeed(seed, seeding).shuffle(Array.from({ length: set.count }, (_, i) => i));
  return subset(
    set,
    order.slice(0, n).sort((a, b) => a - b),
  );
}
