/**
 * Means over 2,000 seeds of NetworkX 3.6.1's own generators, N=32 (computed with
 * nx.newman_watts_strogatz_graph(32, 4, 0.5), nx.random_regular_graph(4, 32),
 * nx.powerlaw_cluster_graph(32, 3, 0.5), nx.random_geometric_graph(32, 0.3),
 * nx.random_partition_graph([8]*4, 0.5, 0.05); nx.average_clustering, and the mean shortest path
 * over connected pairs): [mean, standard deviation].
 */
export const NETWORKX_SAMPLES = 2000;
export const NETWORKX: Record<string, { params: Record<string, number>; edges: [number, number]; clustering: [number, number]; asp: [number, number] }> = {
  nws: { params: { k: 4, p: 0.5 }, edges: [96.0285, 3.97977], clustering: [0.31876, 0.0263], asp: [2.14396, 0.06415] },
  rr: { params: { d: 4 }, edges: [64, 0], clustering: [0.07938, 0.03142], asp: [2.55768, 0.04806] },
  pc: { params: { m: 3, p: 0.5 }, edges: [86.273, 0.85956], clustering: [0.448, 0.05448], asp: [2.11907, 0.04685] },
  rgg: { params: { radius: 0.3 }, edges: [106.2955, 13.225], clustering: [0.67223, 0.04806], asp: [2.74051, 0.35468] },
  sbm: { params: { blocks: 4, pIn: 0.5, pOut: 0.05 }, edges: [75.205, 6.73711], clustering: [0.30804, 0.06378], asp: [2.53739, 0.17698] },
};
