/**
 * Documented maximums. Past them a request is a mistake or needs more than any machine this
 * runs on (a 20,000-node graph exhausted V8's heap after 35 s), so it is refused up front with
 * one line instead of running out of memory. The README lists them.
 */
export const LIMITS = {
  /** Nodes of a generated graph (and of a RandWire stage). A complete graph this size has 499,500 edges; its statistics take ~10 s. */
  graphNodes: 1000,
  /** Height and width of a model's input images. */
  imageSide: 1024,
  /** Channels of a model's input images. */
  imageChannels: 4,
  /** RandWire base channels C (the last stage has 4C or 8C). */
  channels: 2048,
  /** Classes of a classifier. */
  classes: 100_000,
} as const;
