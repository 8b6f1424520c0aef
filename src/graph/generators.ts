import { Rng, SEEDING_WHEN_ABSENT, type Seeding } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';
import type { Dag, RandomGraph } from './types.js';
import { checkNodes, checkParam, type ParamSpec } from './params.js';
import type { Layout } from './dot.js';
import { erdosRenyi } from './erdos-renyi.js';
import { barabasiAlbert } from './barabasi-albert.js';
import { wattsStrogatz } from './watts-strogatz.js';
import { chain, complete, cycle } from './controls.js';
import { newmanWattsStrogatz } from './newman-watts-strogatz.js';
import { randomRegular } from './random-regular.js';
import { powerlawCluster } from './powerlaw-cluster.js';
import { randomGeometric } from './random-geometric.js';
import { plantedPartition } from './planted-partition.js';

export interface GeneratorSpec {
  title: string;
  /** The NetworkX generator it reproduces, and how its nodes are numbered (which orients the DAG). */
  networkx?: string;
  order: string;
  /** How its graphs are drawn: a ring for lattice families, layers by DAG depth otherwise. */
  layout: Layout;
  description: string;
  params: Record<string, ParamSpec>;
  build: (nodes: number, params: Record<string, number>, rng: Rng) => Dag;
}

const smallerThanNodes = (v: number, n: number): string | undefined => (v >= n ? `must be smaller than nodes (${n})` : undefined);

/** K of the ring lattices (WS, NWS). */
const RING_NEIGHBOURS: ParamSpec = {
  description: 'neighbours per node in the ring (even)',
  kind: 'integer',
  min: 2,
  default: 4,
  check: (k, n) => (k % 2 !== 0 ? 'must be even' : smallerThanNodes(k, n)),
};

/** M of the growth families (BA, PC). */
const edgesPerAddedNode = (fallback: number): ParamSpec => ({
  description: 'edges per added node',
  kind: 'integer',
  min: 1,
  default: fallback,
  check: smallerThanNodes,
});

/** The graph generators, by the name used on the command line and in graph JSON. */
export const GENERATORS = {
  er: {
    title: 'Erdős-Rényi ER(P)',
    networkx: 'gnp_random_graph(n, p)',
    order: 'random (Xie et al.)',
    layout: 'dag',
    description: 'each pair of nodes is an edge with probability P',
    params: { p: { description: 'edge probability', kind: 'probability', default: 0.2 } },
    build: (n, ps, rng) => erdosRenyi(n, { p: ps.p! }, rng),
  },
  ba: {
    title: 'Barabási-Albert BA(M)',
    networkx: 'barabasi_albert_graph(n, m), started from M nodes without edges (Xie et al.)',
    order: 'seeds first, then order of addition',
    layout: 'dag',
    description: 'preferential attachment: each new node joins M existing nodes',
    params: {
      m: edgesPerAddedNode(5),
    },
    build: (n, ps, rng) => barabasiAlbert(n, { m: ps.m! }, rng),
  },
  ws: {
    title: 'Watts-Strogatz WS(K,P)',
    networkx: 'watts_strogatz_graph(n, k, p)',
    order: 'clockwise around the ring',
    layout: 'ring',
    description: 'ring lattice of K nearest neighbours, each edge rewired with probability P',
    params: {
      k: RING_NEIGHBOURS,
      p: { description: 'rewiring probability', kind: 'probability', default: 0.75 },
    },
    build: (n, ps, rng) => wattsStrogatz(n, { k: ps.k!, p: ps.p! }, rng),
  },
  chain: {
    title: 'chain',
    networkx: 'path_graph(n)',
    order: 'along the path',
    layout: 'dag',
    description: 'control: the path 0 -> 1 -> ... -> N-1',
    params: {},
    build: (n) => chain(n),
  },
  complete: {
    title: 'complete',
    networkx: 'complete_graph(n)',
    order: 'any (all orders give the same DAG)',
    layout: 'dag',
    description: 'control: every pair i < j',
    params: {},
    build: (n) => complete(n),
  },
  nws: {
    title: 'Newman-Watts-Strogatz NWS(K,P)',
    networkx: 'newman_watts_strogatz_graph(n, k, p)',
    order: 'clockwise around the ring, as WS',
    layout: 'ring',
    description: 'ring lattice of K nearest neighbours plus, per lattice edge, a shortcut with probability P; nothing removed',
    params: {
      k: RING_NEIGHBOURS,
      p: { description: 'shortcut probability per lattice edge', kind: 'probability', default: 0.5 },
    },
    build: (n, ps, rng) => newmanWattsStrogatz(n, { k: ps.k!, p: ps.p! }, rng),
  },
  rr: {
    title: 'random regular RR(D)',
    networkx: 'random_regular_graph(d, n)',
    order: 'as generated (the law is the same for every order)',
    layout: 'dag',
    description: 'every node has degree exactly D',
    params: {
      d: {
        description: 'degree of every node (N*D even)',
        kind: 'integer',
        min: 1,
        default: 4,
        check: (d, n) => (d >= n ? `must be smaller than nodes (${n})` : (n * d) % 2 !== 0 ? `times nodes (${n}) must be even` : undefined),
      },
    },
    build: (n, ps, rng) => randomRegular(n, { d: ps.d! }, rng),
  },
  pc: {
    title: 'Holme-Kim power-law cluster PC(M,P)',
    networkx: 'powerlaw_cluster_graph(n, m, p)',
    order: 'seeds first, then order of addition, as BA',
    layout: 'dag',
    description: 'BA growth where each further edge closes a triangle with probability P',
    params: {
      m: edgesPerAddedNode(3),
      p: { description: 'probability of closing a triangle', kind: 'probability', default: 0.5 },
    },
    build: (n, ps, rng) => powerlawCluster(n, { m: ps.m!, p: ps.p! }, rng),
  },
  rgg: {
    title: 'random geometric RGG(radius)',
    networkx: 'random_geometric_graph(n, radius)',
    order: 'along the x coordinate of the points',
    layout: 'dag',
    description: 'points uniform in the unit square, joined when at most the radius apart',
    params: { radius: { description: 'connection radius', kind: 'positive', default: 0.3 } },
    build: (n, ps, rng) => randomGeometric(n, { radius: ps.radius! }, rng),
  },
  sbm: {
    title: 'planted partition SBM(B, P_in, P_out)',
    networkx: 'planted_partition_graph(l, k, p_in, p_out), with nearly equal blocks',
    order: 'block by block',
    layout: 'dag',
    description: 'B nearly equal blocks; pairs inside a block are edges with probability P_in, across blocks with P_out',
    params: {
      blocks: { description: 'number of blocks B', kind: 'integer', min: 1, default: 4, check: (b, n) => (b > n ? `must be at most nodes (${n})` : undefined) },
      pIn: { description: 'edge probability inside a block', kind: 'probability', default: 0.5 },
      pOut: { description: 'edge probability across blocks', kind: 'probability', default: 0.05 },
    },
    build: (n, ps, rng) => plantedPartition(n, { blocks: ps.blocks!, pIn: ps.pIn!, pOut: ps.pOut! }, rng),
  },
  cycle: {
    title: 'cycle',
    networkx: 'cycle_graph(n)',
    order: 'around the ring',
    layout: 'ring',
    description: 'control: the ring 0 - 1 - ... - N-1 - 0',
    params: {},
    build: (n) => cycle(n),
  },
} satisfies Record<string, GeneratorSpec>;

export type GeneratorName = keyof typeof GENERATORS;

/** Whether `name` is one of the graph families of GENERATORS ('er', 'ba', 'ws', ...). */
export function isGeneratorName(name: string): name is GeneratorName {
  return Object.hasOwn(GENERATORS, name);
}

/** A graph family's entry in GENERATORS (title, parameters with ranges, NetworkX counterpart); a RandwireError naming the families for an unknown name. */
export function generatorSpec(name: string): GeneratorSpec {
  if (!isGeneratorName(name)) {
    throw new RandwireError('graph', `unknown generator '${name}' (choose one of ${Object.keys(GENERATORS).join(', ')})`);
  }
  return GENERATORS[name];
}

/**
 * Validate the parameters of a generator and fill in its defaults; unknown parameter names are
 * an error so that a typo is never silently ignored.
 */
export function resolveParams(name: string, nodes: number, given: Record<string, number | undefined>): Record<string, number> {
  const spec = generatorSpec(name);
  checkNodes(nodes);
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !Object.hasOwn(spec.params, key)) {
      const known = Object.keys(spec.params);
      throw new RandwireError('graph', `generator '${name}' has no parameter '${key}'${known.length ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`);
    }
  }
  const out: Record<string, number> = {};
  for (const [key, p] of Object.entries(spec.params)) {
    const value = given[key] ?? p.default;
    checkParam(key, p, value, nodes);
    out[key] = value;
  }
  return out;
}

/** Make a random graph: validated parameters, seeded, oriented into a DAG by node index. */
export function generateGraph(name: string, nodes: number, params: Record<string, number | undefined>, seed: number, seeding: Seeding): RandomGraph {
  if (!Number.isInteger(seed)) throw new RandwireError('graph', `seed must be an integer, got ${seed}`);
  const resolved = resolveParams(name, nodes, params);
  const dag = generatorSpec(name).build(nodes, resolved, Rng.fromSeed(seed, seeding));
  // Seeding 1 is left unwritten: graphs stored in sweep trial configs are hashed into trial ids.
  return { generator: name, params: resolved, seed, ...(seeding === SEEDING_WHEN_ABSENT ? {} : { seeding }), nodes: dag.nodes, edges: dag.edges };
}
