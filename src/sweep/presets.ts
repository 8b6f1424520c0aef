/**
 * Sweeps that come with randwire (`randwire sweep run --preset NAME`). Their sizes come from
 * measured trial times (README, "Sweeps"); the specs are checked like any sweep file.
 */
import { SEARCH_PRESETS } from './search-presets.js';

export const SWEEP_PRESETS = {
  study: {
    // Sized from the cpu preset's measured epochs of RandWire C=16 N=32 on 2 cores, two at a time
    // (148-196 s each, results/mnist-cpu): 3 epochs ~8-10 min a trial, 25 trials ~2 h. Not run whole yet.
    description:
      "the study's three generators against the chain and complete controls, 5 graph seeds each, MNIST (RandWire C=16 N=32, 3 epochs of the cpu recipe; about 2 h on 2 cores, estimated)",
    spec: {
      name: 'study',
      description: "Corum (2021)'s question with Xie et al.'s protocol: mean +/- std over 5 graphs per generator",
      data: 'mnist',
      recipe: { preset: 'cpu', epochs: 3, lr: 4e-3 },
      nodes: 32,
      channels: 16,
      graphSeeds: 5,
      trainSeeds: 1,
      cells: [
        { generator: 'er', list: [{ p: 0.2 }] },
        { generator: 'ba', list: [{ m: 5 }] },
        { generator: 'ws', list: [{ k: 4, p: 0.75 }] },
        { generator: 'chain' },
        { generator: 'complete' },
      ],
    },
  },
  wiring: {
    description:
      'every graph family with 2-5 settings, 5 graph seeds x 2 training seeds, a small RandWire (C=8, N=16) on Fashion-MNIST, with TinyCNN as reference: 270 trials',
    spec: {
      name: 'wiring',
      description: 'Which wiring helps? Every family randwire offers, small models, many seeds',
      data: 'fashion-mnist',
      recipe: {
        epochs: 3,
        batchSize: 64,
        optimizer: 'adam',
        lr: 4e-3,
        schedule: 'cosine',
        warmupEpochs: 0.1,
        valSize: 2000,
        trainLimit: 9000,
        testLimit: 5000,
        augment: 0,
      },
      nodes: 16,
      channels: 8,
      graphSeeds: 5,
      trainSeeds: 2,
      cells: [
        { generator: 'er', grid: { p: [0.1, 0.2, 0.4, 0.6] } },
        { generator: 'ba', grid: { m: [1, 3, 5] } },
        { generator: 'ws', grid: { k: [4], p: [0, 0.25, 0.5, 0.75, 1] } },
        { generator: 'nws', grid: { k: [4], p: [0.25, 0.75] } },
        { generator: 'rr', grid: { d: [3, 6] } },
        { generator: 'pc', grid: { m: [2], p: [0.25, 0.75] } },
        { generator: 'rgg', grid: { radius: [0.15, 0.3, 0.45] } },
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
        { model: 'tinycnn' },
      ],
    },
  },
  ...SEARCH_PRESETS,
} as const;

export type SweepPresetName = keyof typeof SWEEP_PRESETS;
export const SWEEP_PRESET_NAMES = Object.keys(SWEEP_PRESETS) as SweepPresetName[];
