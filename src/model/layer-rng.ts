import { Rng, type Seeding } from '../core/rng.js';

/**
 * The random stream used by layers during training (dropout masks). tfjs's own Dropout either
 * uses Math.random (not reproducible) or, given a seed, the same mask at every step; layers here
 * draw a fresh seed per call from this stream, which the trainer reseeds before every batch from
 * (seed, epoch, batch): nothing of it needs checkpointing.
 */
let stream = Rng.fromSeed(0, 1);

export function seedLayerRng(seed: number, seeding: Seeding): void {
  stream = Rng.fromSeed(seed, seeding);
}

export function nextLayerSeed(): number {
  return stream.seed();
}
