import * as tf from '@tensorflow/tfjs';
import { Rng, deriveSeed, type Seeding } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';
import type { ImageSet } from '../data/dataset.js';
import { makeBatch } from '../data/batch.js';
import { seedLayerRng } from '../model/layer-rng.js';
import { evaluate } from './evaluate.js';
import { learningRate, type ScheduleOptions } from './schedule.js';
import { setLearningRate } from './optimizer.js';
import { trainStep } from './step.js';
import type { EpochMetrics, TrainState } from './state.js';

export interface TrainerOptions extends ScheduleOptions {
  batchSize: number;
  microBatch: number;
  classes: number;
  labelSmoothing: number;
  weightDecay: number;
  augment: number;
  seed: number;
  seeding: Seeding;
}

export type TrainEvent =
  | { type: 'epochStart'; epoch: number; epochs: number; batches: number }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; accuracy: number; imagesPerSec: number; lr: number }
  | { type: 'epochEnd'; metrics: EpochMetrics }
  | { type: 'stopped'; epoch: number; batch: number };

export interface TrainerHooks {
  onEvent?: (e: TrainEvent) => void;
  /** Called after every epoch and when stopping; must persist model, optimiser and state. */
  checkpoint: (state: TrainState) => Promise<void>;
  /** Polled after every batch (Ctrl-C sets it); training then checkpoints and returns. */
  shouldStop?: () => boolean;
  /**
   * Pause once this epoch is checkpointed (a rung of successive halving). The schedule stays that
   * of `epochs`, so a paused run continued later is exactly the run that never paused.
   */
  stopAfterEpoch?: number;
}

/**
 * Order of the training images in an epoch. Derived from (seed, epoch) alone, like every other
 * random draw of the loop (augmentation and dropout per batch), so a resumed run replays the
 * exact same sequence without saving generator states.
 */
export function epochOrder(count: number, seed: number, epoch: number, seeding: Seeding): number[] {
  return Rng.fromSeed(deriveSeed(seed, `data/order/${epoch}`), seeding).shuffle(Array.from({ length: count }, (_, i) => i));
}

export async function train(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: { train: ImageSet; validation: ImageSet; mean: number; std: number },
  o: TrainerOptions,
  state: TrainState,
  hooks: TrainerHooks,
): Promise<'finished' | 'stopped' | 'paused'> {
  const { train: set } = data;
  const batches = Math.ceil(set.count / o.batchSize);
  const emit = hooks.onEvent ?? (() => {});
  for (let epoch = state.epoch; epoch < o.epochs; epoch++) {
    const order = epochOrder(set.count, o.seed, epoch, o.seeding);
    emit({ type: 'epochStart', epoch, epochs: o.epochs, batches });
    let lr = learningRate(o, epoch);
    for (let b = state.batch; b < batches; b++) {
      const t0 = performance.now();
      lr = learningRate(o, epoch + b / batches);
      setLearningRate(optimizer, lr);
      const idx = order.slice(b * o.batchSize, Math.min((b + 1) * o.batchSize, set.count));
      const batch = makeBatch(set, idx, {
        mean: data.mean,
        std: data.std,
        shift: o.augment,
        rng: Rng.fromSeed(deriveSeed(o.seed, `data/augment/${epoch}/${b}`), o.seeding),
      });
      seedLayerRng(deriveSeed(o.seed, `layers/${epoch}/${b}`), o.seeding);
      const x = tf.tensor4d(batch.x, [batch.size, set.height, set.width, set.channels]);
      const y = tf.tensor1d(batch.labels, 'int32');
      const r = trainStep(model, optimizer, x, y, {
        classes: o.classes,
        microBatch: o.microBatch,
        labelSmoothing: o.labelSmoothing,
        weightDecay: o.weightDecay,
      });
      tf.dispose([x, y]);
      const seconds = (performance.now() - t0) / 1000;
      const p = state.partial;
      p.lossSum += r.loss * batch.size;
      p.correct += r.correct;
      p.seen += batch.size;
      p.seconds += seconds;
      state.batch = b + 1;
      emit({ type: 'batch', epoch, batch: b + 1, batches, loss: p.lossSum / p.seen, accuracy: p.correct / p.seen, imagesPerSec: p.seen / p.seconds, lr });
      if (!Number.isFinite(r.loss)) throw new RandwireError('train', `training diverged: loss is ${r.loss} at epoch ${epoch + 1}, batch ${b + 1}; lower --lr`);
      // Let signal handlers (Ctrl-C) run: the batch loop is otherwise synchronous.
      await new Promise((resolve) => setImmediate(resolve));
      if (hooks.shouldStop?.() && b + 1 < batches) {
        await hooks.checkpoint(state);
        emit({ type: 'stopped', epoch, batch: b + 1 });
        return 'stopped';
      }
    }
    const val = data.validation.count > 0 ? evaluate(model, data.validation, data, o.classes) : undefined;
    const p = state.partial;
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      trainLoss: p.lossSum / p.seen,
      trainAccuracy: p.correct / p.seen,
      valLoss: val ? val.loss : null,
      valAccuracy: val ? val.accuracy : null,
      lr,
      seconds: p.seconds,
      imagesPerSec: p.seen / p.seconds,
    };
    state.history.push(metrics);
    state.seconds += p.seconds;
    state.epoch = epoch + 1;
    state.batch = 0;
    state.partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
    await hooks.checkpoint(state);
    emit({ type: 'epochEnd', metrics });
    if (epoch + 1 === hooks.stopAfterEpoch && epoch + 1 < o.epochs) return 'paused';
    if (hooks.shouldStop?.() && epoch + 1 < o.epochs) {
      emit({ type: 'stopped', epoch: epoch + 1, batch: 0 });
      return 'stopped';
    }
  }
  return 'finished';
}
