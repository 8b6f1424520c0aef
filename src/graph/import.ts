import { RandwireError } from '../core/errors.js';
import type { RandomGraph } from './types.js';
import { orientByIndex } from './undirected.js';
import { graphSizeProblem } from './params.js';

/** How imported nodes get their indices 0..N-1, which decides the DAG's orientation. */
export const IMPORT_ORDERS = ['given', 'bfs', 'degree'] as const;
export type ImportOrder = (typeof IMPORT_ORDERS)[number];

interface Parsed {
  /** Node ids in the order the file gives them. */
  ids: string[];
  edges: Array<[string, string]>;
}

function fail(source: string, message: string): never {
  throw new RandwireError('graph', `${source}: ${message}`);
}

/** Past the limits a graph is refused before its sets and orientation are built. */
function checkSize(nodes: number, edges: number, source: string): void {
  const problem = graphSizeProblem(nodes, edges);
  if (problem) fail(source, problem);
}

/** `u v` per line; `#` starts a comment; blank lines are skipped. */
function parseEdgeList(text: string, source: string): Parsed {
  const ids: string[] = [];
  const seen = new Set<string>();
  const edges: Array<[string, string]> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const parts = line.split(/\s+/);
    if (parts.length < 2) fail(source, `line ${i + 1}: expected "u v", got "${line}"`);
    const [u, v] = parts as [string, string];
    for (const id of [u, v]) {
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
    }
    edges.push([u, v]);
  });
  return { ids, edges };
}

/** NetworkX's node-link JSON (json_graph.node_link_data): "nodes" with ids, "links" or "edges". */
function parseNodeLink(text: string, source: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(source, `not valid JSON (${(e as Error).message})`);
  }
  const doc = raw as { nodes?: unknown; links?: unknown; edges?: unknown; multigraph?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.nodes)) fail(source, 'not NetworkX node-link JSON (no "nodes" list)');
  const links = doc.links ?? doc.edges;
  if (!Array.isArray(links)) fail(source, 'not NetworkX node-link JSON (no "links" or "edges" list)');
  const key = (v: unknown, what: string): string => {
    if (typeof v !== 'string' && typeof v !== 'number') fail(source, `${what} must be a string or a number, got ${JSON.stringify(v)}`);
    return String(v);
  };
  checkSize(doc.nodes.length, links.length, source);
  const ids = (doc.nodes as Array<{ id?: unknown }>).map((n, i) => key(n?.id, `nodes[${i}].id`));
  const known = new Set(ids);
  if (known.size !== ids.length) fail(source, 'a node id appears twice in "nodes"');
  const edges = (links as Array<{ source?: unknown; target?: unknown }>).map((l, i) => {
    const u = key(l?.source, `links[${i}].source`);
    const v = key(l?.target, `links[${i}].target`);
    for (const id of [u, v]) if (!known.has(id)) fail(source, `links[${i}] names node ${id}, which is not in "nodes"`);
    return [u, v] as [string, string];
  });
  return { ids, edges };
}

function bfsOrder(ids: string[], adj: Map<string, string[]>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const start of ids) {
    if (seen.has(start)) continue;
    seen.add(start);
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q]!;
      order.push(u);
      for (const v of adj.get(u)!) {
        if (seen.has(v)) continue;
        seen.add(v);
        queue.push(v);
      }
    }
  }
  return order;
}

/**
 * A graph made elsewhere, as the project's graph: nodes relabelled 0..N-1 in the chosen order
 * (given: as the file lists them; bfs: breadth-first from the first node, component by
 * component; degree: highest degree first, ties as given), edges oriented from lower to higher
 * index. Self loops, repeated edges, unknown node ids, an empty graph and more than the node
 * limit are errors.
 */
export function importGraph(text: string, source: string, order: ImportOrder = 'given'): RandomGraph {
  const nodeLink = text.trimStart().startsWith('{');
  const { ids, edges } = nodeLink ? parseNodeLink(text, source) : parseEdgeList(text, source);
  if (ids.length === 0) fail(source, 'the graph has no nodes');
  checkSize(ids.length, edges.length, source);
  const adj = new Map(ids.map((id) => [id, [] as string[]]));
  const pairs = new Set<string>();
  for (const [u, v] of edges) {
    if (u === v) fail(source, `self loop at node ${u}`);
    const key = JSON.stringify(u < v ? [u, v] : [v, u]);
    if (pairs.has(key)) fail(source, `edge ${u} - ${v} appears twice`);
    pairs.add(key);
    adj.get(u)!.push(v);
    adj.get(v)!.push(u);
  }
  const given = new Map(ids.map((id, i) => [id, i]));
  const ordered =
    order === 'bfs'
      ? bfsOrder(ids, adj)
      : order === 'degree'
        ? [...ids].sort((a, b) => adj.get(b)!.length - adj.get(a)!.length || given.get(a)! - given.get(b)!)
        : ids;
  const index = new Map(ordered.map((id, i) => [id, i]));
  const dag = orientByIndex(
    ids.length,
    edges.map(([u, v]) => [index.get(u)!, index.get(v)!] as const),
  );
  return { generator: 'import', params: {}, seed: 0, ...dag };
}
