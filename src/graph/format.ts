import { RandwireError } from '../core/errors.js';
import { SEEDINGS, SEEDING_WHEN_ABSENT, type Seeding } from '../core/rng.js';
import type { RandomGraph } from './types.js';
import { topologicalOrder } from './dag.js';
import { graphSizeProblem } from './params.js';

export const GRAPH_FORMAT = 'randwire-graph';
export const GRAPH_VERSION = 1;

export interface GraphJson extends RandomGraph {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_VERSION;
}

/** A graph as the versioned graph JSON that `randwire graph --out` writes and `--graph` reads. */
export function toGraphJson(graph: RandomGraph): GraphJson {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    generator: graph.generator,
    params: graph.params,
    seed: graph.seed,
    // Written only when not 1, so that files made before seeding 2 existed keep their bytes.
    ...(graph.seeding !== undefined && graph.seeding !== SEEDING_WHEN_ABSENT ? { seeding: graph.seeding } : {}),
    nodes: graph.nodes,
    edges: graph.edges.map(([a, b]) => [a, b]),
  };
}

const edgesMarker = '@@randwire-edges@@';

/** Compact, stable text: one edge per pair of numbers, so files diff well and are byte-reproducible. */
export function stringifyGraph(graph: RandomGraph, extra: Record<string, unknown> = {}): string {
  const json = { ...toGraphJson(graph), ...extra };
  // Only the top-level edge list goes on one line; a nested "edges" (stats.edges) is a count.
  return JSON.stringify(
    json,
    function (this: unknown, key, value: unknown) {
      return key === 'edges' && this === json ? edgesMarker : value;
    },
    2,
  ).replace(`"${edgesMarker}"`, `[${graph.edges.map(([a, b]) => `[${a},${b}]`).join(', ')}]`);
}

/**
 * Parse and fully validate graph JSON. Every way a file can be wrong gets its own message,
 * because a loader that silently drops edges is what broke the study.
 */
export function parseGraph(text: string, source = 'graph JSON'): RandomGraph {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RandwireError('graph', `${source} is not valid JSON (${(e as Error).message})`);
  }
  return validateGraph(raw, source);
}

/** A parsed graph JSON value checked into a RandomGraph (nodes, edges within range, no duplicates, an acyclic orientation); a RandwireError naming `source` otherwise. */
export function validateGraph(raw: unknown, source = 'graph JSON'): RandomGraph {
  const fail = (msg: string): never => {
    throw new RandwireError('graph', `${source}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected a JSON object');
  const obj = raw as Record<string, unknown>;
  if (obj.format !== GRAPH_FORMAT) fail(`unknown format ${JSON.stringify(obj.format)} (expected "${GRAPH_FORMAT}")`);
  if (obj.version !== GRAPH_VERSION) fail(`unsupported version ${JSON.stringify(obj.version)} (this randwire reads version ${GRAPH_VERSION})`);
  const nodes = obj.nodes;
  if (typeof nodes !== 'number' || !Number.isInteger(nodes) || nodes < 1) fail(`"nodes" must be a positive integer, got ${JSON.stringify(nodes)}`);
  const n = nodes as number;
  const tooMany = graphSizeProblem(n, 0);
  if (tooMany) fail(tooMany);
  if (typeof obj.generator !== 'string') fail('"generator" must be a string');
  if (typeof obj.seed !== 'number' || !Number.isInteger(obj.seed)) fail('"seed" must be an integer');
  if (obj.seeding !== undefined && !(SEEDINGS as readonly unknown[]).includes(obj.seeding)) {
    fail(`"seeding" must be one of ${SEEDINGS.join(', ')} (absent: ${SEEDING_WHEN_ABSENT}), got ${JSON.stringify(obj.seeding)}`);
  }
  const seeding = obj.seeding === undefined || obj.seeding === SEEDING_WHEN_ABSENT ? {} : { seeding: obj.seeding as Seeding };
  const params = obj.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) fail('"params" must be an object');
  for (const [k, v] of Object.entries(params as object)) {
    if (typeof v !== 'number') fail(`parameter "${k}" must be a number`);
  }
  if (!Array.isArray(obj.edges)) fail('"edges" must be an array of [from, to] pairs');
  const tooManyEdges = graphSizeProblem(0, (obj.edges as unknown[]).length);
  if (tooManyEdges) fail(tooManyEdges);
  const seen = new Set<number>();
  const edges: Array<[number, number]> = [];
  (obj.edges as unknown[]).forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || !e.every((x) => typeof x === 'number' && Number.isInteger(x))) {
      fail(`edge ${i} must be a pair of integers, got ${JSON.stringify(e)}`);
    }
    const [a, b] = e as [number, number];
    if (a < 0 || a >= n || b < 0 || b >= n) fail(`edge ${i} [${a},${b}] has a node index outside 0..${n - 1}`);
    if (a === b) fail(`edge ${i} [${a},${b}] is a self loop`);
    const key = a * n + b;
    if (seen.has(key)) fail(`edge ${i} [${a},${b}] is a duplicate`);
    seen.add(key);
    edges.push([a, b]);
  });
  const dag = { nodes: n, edges };
  try {
    topologicalOrder(dag);
  } catch {
    fail('the edges form a cycle; a RandWire graph must be acyclic');
  }
  const backward = edges.findIndex(([a, b]) => a > b);
  if (backward >= 0) {
    const [a, b] = edges[backward]!;
    fail(`edge ${backward} [${a},${b}] points from a higher to a lower index (edges must go from lower to higher)`);
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { generator: obj.generator as string, params: params as Record<string, number>, seed: obj.seed as number, ...seeding, nodes: n, edges };
}
