import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { RandwireError } from './errors.js';

/**
 * How a seed becomes the generator's state. 1: pure-rand's own seeding, (-1, ~seed, seed, 0) with
 * the seed cut to 32 bits: small consecutive seeds give correlated first draws (seed s starts near
 * 1 - (s+1) 2^-26). 2: the seed (any safe integer) mixed by splitmix64 into the whole state.
 * Runs, graph files and sweeps made before 2026-12-04 used 1 and keep it to stay reproducible.
 */
export const SEEDINGS = [1, 2] as const;
export type Seeding = (typeof SEEDINGS)[number];
export const LATEST_SEEDING: Seeding = 2;
/** What a config, graph file or sweep file without a `seeding` field was made with. */
export const SEEDING_WHEN_ABSENT: Seeding = 1;

/** The help of every `--seeding` flag. */
export const SEEDING_HELP = 'how seeds become random streams: 2 (splitmix64, the default) or 1 (as made before 2026-12-04)';

const MASK64 = (1n << 64n) - 1n;

/** Two outputs of splitmix64 (Steele, Lea and Flood 2014) from `seed`, as four signed 32-bit words, high word first. */
function splitmix64State(seed: number): number[] {
  let z = BigInt.asUintN(64, BigInt(seed));
  const words: number[] = [];
  for (let i = 0; i < 2; i++) {
    z = (z + 0x9e3779b97f4a7c15n) & MASK64;
    let x = z;
    x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    x ^= x >> 31n;
    words.push(Number(BigInt.asIntN(32, x >> 32n)), Number(BigInt.asIntN(32, x)));
  }
  return words;
}

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

  /** A stream from a seed, seeded the way `seeding` says (see SEEDINGS). */
  static fromSeed(seed: number, seeding: Seeding): Rng {
    if (seeding === 1) return new Rng(xoroshiro128plus(seed | 0));
    if (seeding !== 2) throw new RandwireError('seeding', `unknown seeding ${String(seeding)} (this randwire knows ${SEEDINGS.join(' and ')})`);
    if (!Number.isSafeInteger(seed)) throw new RandwireError('seed', `a seed must be an integer between -(2^53 - 1) and 2^53 - 1, got ${seed}`);
    // pure-rand's state words: [high, low] of s0, then of s1. splitmix64's mix is a bijection, so
    // its two outputs (from different inputs) are never both zero: xoroshiro's state is never all zero.
    return new Rng(xoroshiro128plusFromState(splitmix64State(seed)));
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
