import type { Dag } from './types.js';
import { inputNodes, longestPath, outputNodes } from './dag.js';
import { neighbourSets } from './undirected.js';
import { degreeAssortativity, flowStats } from './flow-stats.js';

export interface GraphStats {
  nodes: number;
  edges: number;
  meanDegree: number;
  /** degreeHistogram[d] = number of nodes of undirected degree d. */
  degreeHistogram: number[];
  inputs: number;
  outputs: number;
  longestPath: number;
  /** Mean local clustering coefficient, nodes of degree < 2 counting 0 (as NetworkX). */
  clustering: number;
  /** Mean shortest-path length over connected ordered pairs of the undirected graph. */
  averageShortestPath: number;
  components: number;
  /** Degree assortativity (NetworkX's degree_assortativity_coefficient); null when undefined. */
  assortativity: number | null;
  /** log10 of the number of paths from an input node to an output node of the DAG. */
  log10InputOutputPaths: number;
  meanInDegree: number;
  maxInDegree: number;
  /** Per node: edges on the longest path from an input node. */
  depth: number[];
}

/** A graph's statistics as NetworkX computes them on its undirected form (edges, degrees, clustering, path lengths, assortativity), plus the DAG's inputs, outputs, depth and input-to-output paths. */
export function graphStats(dag: Dag): GraphStats {
  const adj = neighbourSets(dag);
  const degrees = adj.map((s) => s.size);
  const maxDegree = degrees.reduce((a, b) => Math.max(a, b), 0);
  const degreeHistogram = new Array<number>(maxDegree + 1).fill(0);
  for (const d of degrees) degreeHistogram[d]!++;
  const { average, components } = pathLengths(adj);
  return {
    nodes: dag.nodes,
    edges: dag.edges.length,
    meanDegree: (2 * dag.edges.length) / dag.nodes,
    degreeHistogram,
    inputs: inputNodes(dag).length,
    outputs: outputNodes(dag).length,
    longestPath: longestPath(dag),
    clustering: averageClustering(adj),
    averageShortestPath: average,
    components,
    assortativity: degreeAssortativity(adj, dag.edges),
    ...flowStats(dag),
  };
}

function averageClustering(adj: Array<Set<number>>): number {
  let total = 0;
  for (const nbrs of adj) {
    const k = nbrs.size;
    if (k < 2) continue;
    const list = [...nbrs];
    let links = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) if (adj[list[i]!]!.has(list[j]!)) links++;
    total += (2 * links) / (k * (k - 1));
  }
  return adj.length === 0 ? 0 : total / adj.length;
}

/** Breadth-first search from every node: mean distance over reachable pairs, and component count. */
function pathLengths(adj: Array<Set<number>>): { average: number; components: number } {
  const n = adj.length;
  const component = new Array<number>(n).fill(-1);
  let components = 0;
  let sum = 0;
  let pairs = 0;
  const dist = new Array<number>(n);
  for (let s = 0; s < n; s++) {
    dist.fill(-1);
    dist[s] = 0;
    const queue = [s];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (const w of adj[v]!) {
        if (dist[w] === -1) {
          dist[w] = dist[v]! + 1;
          queue.push(w);
        }
      }
    }
    if (component[s] === -1) {
      for (const v of queue) component[v] = components;
      components++;
    }
    for (const v of queue)
      if (v !== s) {
        sum += dist[v]!;
        pairs++;
      }
  }
  return { average: pairs === 0 ? 0 : sum / pairs, components };
}
