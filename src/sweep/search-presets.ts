/**
 * The three searches of results/search-fashion (issue #27): does search beat random wiring? The
 * same model, recipe and compute budget (360 epochs of 18,000 Fashion-MNIST images, about 90
 * minutes of 2 cores at the wiring sweep's measured ~600 images/s per trial two at a time),
 * spent three ways. Each is followed by `randwire sweep retrain DIR --top 3 --seeds 3`.
 */

/** Shared by the three: RandWire C=8 N=16 as in the wiring sweep, trained 9 epochs at most. */
const common = {
  data: 'fashion-mnist',
  recipe: {
    epochs: 9,
    batchSize: 64,
    optimizer: 'adam',
    lr: 4e-3,
    schedule: 'cosine',
    warmupEpochs: 0.1,
    valSize: 2000,
    trainLimit: 18000,
    testLimit: 10000,
    augment: 0,
  },
  nodes: 16,
  channels: 8,
  trainSeeds: 1,
} as const;

/** 360 epochs: 40 full trials, or Hyperband's 88 trials (350 epochs with continuation). */
const budget = { epochs: 360 } as const;

export const SEARCH_PRESETS = {
  'search-random': {
    description:
      "random sampling of Xie et al.'s best generators (WS(4, 0.75), ER(0.2), BA(5)): graphs drawn and trained to 9 epochs until 360 epochs are spent (40 trials), Fashion-MNIST; about 90 min on 2 cores, estimated",
    spec: {
      name: 'search-random',
      description: "Xie et al.'s protocol as a search: sample graphs from the best generators, keep the best by validation accuracy",
      ...common,
      graphSeeds: 14,
      cells: [
        { generator: 'ws', list: [{ k: 4, p: 0.75 }] },
        { generator: 'er', list: [{ p: 0.2 }] },
        { generator: 'ba', list: [{ m: 5 }] },
      ],
      search: { strategy: 'random', budget },
    },
  },
  'search-hyperband': {
    description:
      'Hyperband (eta 3, 1-9 epochs) over every graph family and its settings, 2 graphs each (88 trials, 350 epochs with continuation), Fashion-MNIST; about 90 min on 2 cores, estimated',
    spec: {
      name: 'search-hyperband',
      description: 'Successive halving in all its brackets over the families: spend epochs where validation accuracy is high',
      ...common,
      graphSeeds: 2,
      cells: [
        { generator: 'er', random: { count: 8, ranges: { p: [0.05, 0.8] } } },
        { generator: 'ba', grid: { m: [1, 2, 3, 4, 5, 6] } },
        { generator: 'ws', grid: { k: [4, 6], p: [0, 0.25, 0.5, 0.75, 1] } },
        { generator: 'nws', grid: { k: [4], p: [0.25, 0.5, 0.75] } },
        { generator: 'rr', grid: { d: [3, 4, 6] } },
        { generator: 'pc', grid: { m: [2, 3], p: [0.25, 0.75] } },
        { generator: 'rgg', random: { count: 5, ranges: { radius: [0.1, 0.5] } } },
        {
          generator: 'sbm',
          list: [
            { blocks: 4, pIn: 0.5, pOut: 0.05 },
            { blocks: 2, pIn: 0.8, pOut: 0.02 },
          ],
        },
        { generator: 'chain' },
        { generator: 'cycle' },
        { generator: 'complete' },
      ],
      search: { strategy: 'halving', eta: 3, minEpochs: 1, budget },
    },
  },
  'search-evolution': {
    description:
      'regularized evolution of the stage graphs from 5 WS(4, 0.75) and 5 ER(0.2) graphs: population 10, tournaments of 3, 30 children (360 epochs), Fashion-MNIST; about 90 min on 2 cores, estimated',
    spec: {
      name: 'search-evolution',
      description: 'Aging evolution over the wiring itself: children are mutated graphs of tournament winners',
      ...common,
      graphSeeds: 5,
      cells: [
        { generator: 'ws', list: [{ k: 4, p: 0.75 }] },
        { generator: 'er', list: [{ p: 0.2 }] },
      ],
      // Window 2: two children train at once on 2 cores, and the decisions do not depend on it.
      search: { strategy: 'evolution', population: 10, sample: 3, window: 2, children: 30, budget },
    },
  },
} as const;
