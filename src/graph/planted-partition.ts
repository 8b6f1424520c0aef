import type { Rng } from '../core/rng.js';
import type { Dag } from './types.js';
import { orientByIndex } from './undirected.js';

/** B nearly equal block sizes summing to N: the first N mod B blocks have one node more. */
export function blockSizes(nodes: number, blocks: number): number[] {
  return Array.from({ length: blocks }, (_, i) => Math.floor(nodes / blocks) + (i < nodes % blocks ? 1 : 0));
}

/**
 * SBM(B, P_in, P_out), NetworkX's `planted_partition_graph` (`random_partition_graph` with B
 * nearly equal blocks, so N need not divide by B): a pair in the same block is an edge with
 * probability P_in, a pair across blocks with P_out, independently. Nodes are numbered block by
 * block.
 */
export function plantedPartition(nodes: number, params: { blocks: number; pIn: number; pOut: number }, rng: Rng): Dag {
  const block = blockSizes(nodes, params.blocks).flatMap((size, b) => Array<number>(size).fill(b));
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < nodes; a++) {
    for (let b = a + 1; b < nodes; b++) {
      if (rng.float() < (block[a] === block[b] ? params.pIn : params.pOut)) pairs.push([a, b]);
    }
  }
  return orientByIndex(nodes, pairs);
}
