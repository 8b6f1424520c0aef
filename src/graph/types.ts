import type { Seeding } from '../core/rng.js';

/**
 * A directed acyclic graph whose edges all point from a lower to a higher node index, which is
 * how Xie et al. orient a random undirected graph. `edges` is sorted by (from, to).
 */
export interface Dag {
  nodes: number;
  edges: Array<[number, number]>;
}

/** A DAG together with how it was made, enough to make it again. */
export interface RandomGraph extends Dag {
  generator: string;
  params: Record<string, number>;
  seed: number;
  /** How the seed was turned into a stream (core/rng.ts SEEDINGS); absent: 1. */
  seeding?: Seeding;
}
