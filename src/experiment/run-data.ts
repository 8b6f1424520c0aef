import { RandwireError } from '../core/errors.js';
import { deriveSeed } from '../core/rng.js';
import { loadDataset } from '../data/idx-files.js';
import { sampleSet, splitTrainValidation } from '../data/split.js';
import type { Dataset, ImageSet } from '../data/dataset.js';
import { seedingOf, type TrainConfig } from './config.js';

/** Refuse a data set whose images or labels do not fit the model. */
export function checkDataFits(config: TrainConfig, set: ImageSet, classes: number): void {
  const [h, w, c] = config.model.inputShape;
  if (set.height !== h || set.width !== w || set.channels !== c) {
    throw new RandwireError('data', `the data is ${set.height}x${set.width}x${set.channels} but the model expects ${h}x${w}x${c} (set --input)`);
  }
  if (classes > config.model.classes) {
    throw new RandwireError('data', `the data has labels up to ${classes - 1} but the model has ${config.model.classes} classes (set --classes)`);
  }
}

/** The test images a run evaluates on: all of them, or the run's seeded subset of `limit`. */
export function runTestSet(config: TrainConfig, test: ImageSet, limit: number | undefined): ImageSet {
  return limit ? sampleSet(test, limit, deriveSeed(config.seed, 'data/test'), seedingOf(config)) : test;
}

/** The data a run trains and evaluates on, split exactly as in training (seeded). */
export function runData(config: TrainConfig, dataset?: Dataset) {
  const d = dataset ?? loadDataset(config.data);
  checkDataFits(config, d.train, d.classes);
  const { train: trainSet, validation } = splitTrainValidation(
    d.train,
    config.valSize,
    deriveSeed(config.seed, 'data/split'),
    seedingOf(config),
    config.trainLimit,
  );
  return { dataset: d, train: trainSet, validation, test: runTestSet(config, d.test, config.testLimit), mean: d.mean, std: d.std };
}
