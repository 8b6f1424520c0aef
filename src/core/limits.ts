/**
 * Documented maximums. Past them a request is a mistake or needs more than any machine this
 * runs on (a 20,000-node graph exhausted V8's heap after 35 s), so it is refused up front with
 * one line instead of running out of memory. The README lists them.
 */
export const LIMITS = {
  /** Nodes of a graph: generated, imported, read as graph JSON or given in a config (and of a RandWire stage). A complete graph this size has 499,500 edges; its statistics take ~10 s. */
  graphNodes: 1000,
  /** Edges of a graph: those of the complete graph at the node limit. */
  graphEdges: (1000 * 999) / 2,
  /** Layers on a model's longest path: tfjs-layers walks the layer graph recursively when it builds or loads a model, and overflowed the stack at ~4,500 (a 500-node chain in 3 stages). */
  modelDepth: 3000,
  /** Height and width of a model's input images. */
  imageSide: 1024,
  /** Channels of a model's input images. */
  imageChannels: 4,
  /** Pixels (width x height, from the header) of a PNG given to `predict`: decoded it takes 4 bytes a pixel and more to resize (a 20000x20000 PNG of 388 KB took 3.4 GB). */
  imagePixels: 4096 * 4096,
  /** RandWire base channels C (the last stage has 4C or 8C). */
  channels: 2048,
  /** Classes of a classifier. */
  classes: 100_000,
  /** Trials of a sweep (graph seeds x train seeds x cells), counted before anything is expanded: planning takes ~0.3 ms and ~0.8 kB a trial. */
  sweepTrials: 10_000,
  /** Bytes of any JSON or text file the CLI reads (sweep files, configs, graphs, model.json, checkpoint state): the largest valid one, a node-link JSON of the complete 1000-node graph, is ~17 MB. */
  textFileBytes: 32 * 1024 * 1024,
  /** Bytes of a queue job (its JSON): a trial with four stage graphs at the edge limit is ~20 MB. */
  queueJobBytes: 24 * 1024 * 1024,
  /** Bytes of a halving trial's checkpoint sent through Redis between its rungs (weights and Adam's two moments: three times the 64 MiB of weights sent back); larger ones stay in the worker's folder. */
  queueCheckpointBytes: 192 * 1024 * 1024,
  /** Edges drawn with Graphviz dot's layered layout; its crossing minimisation took 3 s at 435 edges, 21 s at 780 and over 100 s at 1,225. Larger graphs are drawn on a ring. */
  drawLayeredEdges: 400,
  /** Edges drawn at all (on the ring, which is linear: 19,900 edges in 1 s); larger graphs are not drawn. */
  drawEdges: 20_000,
} as const;

/** A count as the limits' messages write it (10,000). */
export const formatCount = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'more than 10^308');

/** A byte size as the limits' messages write it (32 MiB). */
export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
