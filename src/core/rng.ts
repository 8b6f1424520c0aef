import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/**
 * Seeded random numbers. Every random draw in the project goes through an `Rng`, so the same
 * seed gives the same graph, weights and data order on every platform (xoroshiro128+ is integer
 * arithmetic only).
 */
export class Rng {
  private gen: JumpableRandomGenerator;

  private constructor(gen: JumpableRandomGenerator) {
    this.gen = gen;
  }

  static fromSeed(seed: number): Rng {
    return new Rng(xoroshiro128plus(seed | 0));
  }

  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  /** The generator's internal state, enough to continue the exact same stream later. */
  state(): number[] {
    return [...this.gen.getState()];
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (n <= 0) throw new RangeError(`rng.int: n must be positive, got ${n}`);
    return uniformInt(this.gen, 0, n - 1);
  }

  /** A 32-bit seed for a new independent stream. */
  seed(): number {
    return uniformInt(this.gen, 0, 0x7fffffff);
  }

  /** Fisher-Yates shuffle, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }
}

/**
 * Derive an independent seed from a master seed and a label ("graph/stage-0", "init", "data"),
 * so that changing one consumer of randomness never shifts the streams of the others.
 * FNV-1a over the label, mixed with the seed by a murmur3 finaliser.
 */
export function deriveSeed(master: number, label: string): number {
  let h = 0x811c9dc5 ^ (master | 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}
