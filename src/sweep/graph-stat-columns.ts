/**
 * The graph statistics a sweep stores per stage: the store's column name, the key in results and
 * reports, and the axis label. Declared once; the store's schema, the report and the dashboard's
 * statistic picker iterate it. Pure, so the browser can import it.
 */
export const GRAPH_STATS = {
  edges: { key: 'edges', label: 'edges' },
  clustering: { key: 'clustering', label: 'clustering coefficient' },
  average_shortest_path: { key: 'averageShortestPath', label: 'average shortest path' },
  longest_path: { key: 'longestPath', label: 'longest path (edges)' },
  assortativity: { key: 'assortativity', label: 'degree assortativity' },
  log10_io_paths: { key: 'log10InputOutputPaths', label: 'log10 input-to-output paths' },
  mean_in_degree: { key: 'meanInDegree', label: 'mean in-degree' },
} as const;

type Columns = typeof GRAPH_STATS;
/** Store column -> result key. */
export const GRAPH_STAT_COLUMNS = Object.fromEntries(Object.entries(GRAPH_STATS).map(([c, s]) => [c, s.key])) as { [C in keyof Columns]: Columns[C]['key'] };
export type GraphStatKey = Columns[keyof Columns]['key'];
export const GRAPH_STAT_KEYS = Object.values(GRAPH_STATS).map((s) => s.key) as GraphStatKey[];
export const GRAPH_STAT_LABELS = Object.fromEntries(Object.values(GRAPH_STATS).map((s) => [s.key, s.label])) as Record<GraphStatKey, string>;
