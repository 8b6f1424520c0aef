import * as tf from '@tensorflow/tfjs';
import { OnednnAdam } from './onednn-adam.js';

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface OptimizerOptions {
  optimizer: OptimizerName;
  lr: number;
  /** Adam epsilon (the study: 1e-5). */
  epsilon: number;
  /** SGD momentum (0 = plain SGD). */
  momentum: number;
  nesterov: boolean;
}

export function makeOptimizer(o: OptimizerOptions): tf.Optimizer {
  if (o.optimizer === 'adam') return new OnednnAdam(o.lr, 0.9, 0.999, o.epsilon);
  return o.momentum > 0 ? tf.train.momentum(o.lr, o.momentum, o.nesterov) : tf.train.sgd(o.lr);
}

/** tfjs optimisers read their learning rate field at every update; schedules change it in place. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}
