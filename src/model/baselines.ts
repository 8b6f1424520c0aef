import { INPUT, PlanBuilder, type ModelPlan, type Op } from './plan.js';

export interface BaselineOptions {
  inputShape: [number, number, number];
  classes: number;
}

const conv = (filters: number, kernel = 3, padding: 'same' | 'valid' = 'same', stride = 1): Op => ({
  kind: 'conv',
  filters,
  kernel,
  stride,
  padding,
  bias: true,
});
const relu: Op = { kind: 'relu' };
const bn: Op = { kind: 'bn' };
const pool = (size = 2, stride = size, padding: 'same' | 'valid' = 'valid'): Op => ({ kind: 'maxpool', size, stride, padding });
const dense = (units: number, activation: 'linear' | 'relu' | 'softmax' = 'relu'): Op => ({ kind: 'dense', units, activation });
const dropout = (rate: number): Op => ({ kind: 'dropout', rate });

function finish(model: string, o: BaselineOptions, b: PlanBuilder, last: string): ModelPlan {
  const output = b.add('classifier', dense(o.classes, 'softmax'), last);
  return { model, inputShape: o.inputShape, classes: o.classes, layers: b.layers, output, metadata: {} };
}

/** The study's TinyCNN: conv 3x3 32, 64, 64 (ReLU; max-pool after the first two), FC 70, 30, classes. */
export function tinyCnnPlan(o: BaselineOptions): ModelPlan {
  const b = new PlanBuilder();
  let x = b.chain('block1', INPUT, [conv(32, 3, 'valid'), relu, pool()]);
  x = b.chain('block2', x, [conv(64, 3, 'valid'), relu, pool()]);
  x = b.chain('block3', x, [conv(64, 3, 'valid'), relu, { kind: 'flatten' }]);
  x = b.chain('fc1', x, [dense(70)]);
  x = b.chain('fc2', x, [dense(30)]);
  return finish('tinycnn', o, b, x);
}

/**
 * The study's HandmadeCNN: five 3x3 convolutions with batch norm and dropout, then FC 128 and
 * the classifier (a common strong MNIST design: 32-32 / pool / 64-64 / pool / 128).
 */
export function handmadeCnnPlan(o: BaselineOptions): ModelPlan {
  const b = new PlanBuilder();
  let x = b.chain('block1', INPUT, [conv(32), relu, bn, conv(32), relu, bn, pool(), dropout(0.25)]);
  x = b.chain('block2', x, [conv(64), relu, bn, conv(64), relu, bn, pool(), dropout(0.25)]);
  x = b.chain('block3', x, [conv(128), relu, bn, pool(), dropout(0.25), { kind: 'flatten' }]);
  x = b.chain('fc1', x, [dense(128), bn, dropout(0.5)]);
  return finish('handmadecnn', o, b, x);
}

/**
 * AlexNet adapted to 28x28 inputs without resizing: five convolutions (64, 192, 384, 256, 256;
 * 3x3, max-pool after the 1st, 2nd and 5th), three fully connected layers (1024, 1024, classes)
 * with dropout 0.5, as CIFAR-sized AlexNet variants do.
 */
export function alexNetPlan(o: BaselineOptions): ModelPlan {
  const b = new PlanBuilder();
  let x = b.chain('conv1', INPUT, [conv(64), relu, pool()]);
  x = b.chain('conv2', x, [conv(192), relu, pool()]);
  x = b.chain('conv3', x, [conv(384), relu]);
  x = b.chain('conv4', x, [conv(256), relu]);
  x = b.chain('conv5', x, [conv(256), relu, pool(), { kind: 'flatten' }]);
  x = b.chain('fc1', x, [dropout(0.5), dense(1024)]);
  x = b.chain('fc2', x, [dropout(0.5), dense(1024)]);
  return finish('alexnet', o, b, x);
}
