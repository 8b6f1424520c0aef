import { Rng } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';
import type { Dag, RandomGraph } from './types.js';
import { checkNodes, checkParam, type ParamSpec } from './params.js';
import type { Layout } from './dot.js';
import { erdosRenyi } from './erdos-renyi.js';
import { barabasiAlbert } from './barabasi-albert.js';
import { wattsStrogatz } from './watts-strogatz.js';
import { chain, complete } from './controls.js';

export interface GeneratorSpec {
  title: string;
  /** How its graphs are drawn: a ring for lattice families, layers by DAG depth otherwise. */
  layout: Layout;
  description: string;
  params: Record<string, ParamSpec>;
  build: (nodes: number, params: Record<string, number>, rng: Rng) => Dag;
}

/** The graph generators, by the name used on the command line and in graph JSON. */
export const GENERATORS = {
  er: {
    title: 'Erdős-Rényi ER(P)',
    layout: 'dag',
    description: 'each pair of nodes is an edge with probability P',
    params: { p: { description: 'edge probability', kind: 'probability', default: 0.2 } },
    build: (n, ps, rng) => erdosRenyi(n, { p: ps.p! }, rng),
  },
  ba: {
    title: 'Barabási-Albert BA(M)',
    layout: 'dag',
    description: 'preferential attachment: each new node joins M existing nodes',
    params: {
      m: {
        description: 'edges per added node',
        kind: 'integer',
        min: 1,
        default: 5,
        check: (m, n) => (m >= n ? `must be smaller than nodes (${n})` : undefined),
      },
    },
    build: (n, ps, rng) => barabasiAlbert(n, { m: ps.m! }, rng),
  },
  ws: {
    title: 'Watts-Strogatz WS(K,P)',
    layout: 'ring',
    description: 'ring lattice of K nearest neighbours, each edge rewired with probability P',
    params: {
      k: {
        description: 'neighbours per node in the ring (even)',
        kind: 'integer',
        min: 2,
        default: 4,
        check: (k, n) => (k % 2 !== 0 ? 'must be even' : k >= n ? `must be smaller than nodes (${n})` : undefined),
      },
      p: { description: 'rewiring probability', kind: 'probability', default: 0.75 },
    },
    build: (n, ps, rng) => wattsStrogatz(n, { k: ps.k!, p: ps.p! }, rng),
  },
  chain: {
    title: 'chain',
    layout: 'dag',
    description: 'control: the path 0 -> 1 -> ... -> N-1',
    params: {},
    build: (n) => chain(n),
  },
  complete: {
    title: 'complete',
    layout: 'dag',
    description: 'control: every pair i < j',
    params: {},
    build: (n) => complete(n),
  },
} satisfies Record<string, GeneratorSpec>;

export type GeneratorName = keyof typeof GENERATORS;

export function isGeneratorName(name: string): name is GeneratorName {
  return Object.hasOwn(GENERATORS, name);
}

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
export function resolveParams(
  name: string,
  nodes: number,
  given: Record<string, number | undefined>,
): Record<string, number> {
  const spec = generatorSpec(name);
  checkNodes(nodes);
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !Object.hasOwn(spec.params, key)) {
      const known = Object.keys(spec.params);
      throw new RandwireError(
        'graph',
        `generator '${name}' has no parameter '${key}'${known.length ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`,
      );
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
export function generateGraph(
  name: string,
  nodes: number,
  params: Record<string, number | undefined>,
  seed: number,
): RandomGraph {
  if (!Number.isInteger(seed)) throw new RandwireError('graph', `seed must be an integer, got ${seed}`);
  const resolved = resolveParams(name, nodes, params);
  const dag = generatorSpec(name).build(nodes, resolved, Rng.fromSeed(seed));
  return { generator: name, params: resolved, seed, nodes: dag.nodes, edges: dag.edges };
}
