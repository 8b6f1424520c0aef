import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { TRAIN_OPTIONS, TRAIN_OPTION_KEYS } from '../../src/experiment/train-options.js';
import { DEFAULT_TRAIN_CONFIG, trainConfigSchema } from '../../src/experiment/config.js';
import { addTrainFlags, givenOnCommandLine, trainConfigFromFlags, trainOverridesFromFlags } from '../../src/cli/train-flags.js';
import { addModelFlags } from '../../src/cli/model-flags.js';

// A value other than the default for each option, as a user would type it.
const SAMPLES: Record<string, [string, unknown]> = {
  data: ['/some/dir', '/some/dir'],
  epochs: ['7', 7],
  batchSize: ['96', 96],
  microBatch: ['32', 32],
  optimizer: ['sgd', 'sgd'],
  lr: ['0.02', 0.02],
  epsilon: ['1e-8', 1e-8],
  momentum: ['0.8', 0.8],
  nesterov: ['', true],
  schedule: ['step', 'step'],
  warmupEpochs: ['0.5', 0.5],
  stepEpochs: ['3', 3],
  stepGamma: ['0.5', 0.5],
  labelSmoothing: ['0.1', 0.1],
  weightDecay: ['5e-4', 5e-4],
  augment: ['3', 3],
  valSize: ['100', 100],
  trainLimit: ['500', 500],
  testLimit: ['200', 200],
  backend: ['wasm', 'wasm'],
  seeding: ['1', 1],
};

const parse = (argv: string[], fromPreset = false) => {
  const cmd = addTrainFlags(addModelFlags(new Command('t').exitOverride()), DEFAULT_TRAIN_CONFIG, fromPreset);
  cmd.parse(argv, { from: 'user' });
  return { flags: cmd.opts(), given: givenOnCommandLine(cmd) };
};

test('every training option has its flag, and each flag sets exactly its config key', () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...TRAIN_OPTION_KEYS].sort(), 'a sample for every option');
  for (const key of TRAIN_OPTION_KEYS) {
    const [text, value] = SAMPLES[key]!;
    const flag = TRAIN_OPTIONS[key].flag.split(' ')[0]!;
    const { flags, given } = parse(text === '' ? [flag] : [flag, text]);
    const config = trainConfigFromFlags(flags, DEFAULT_TRAIN_CONFIG, given);
    assert.deepEqual(config[key], value, key);
    assert.deepEqual(trainOverridesFromFlags(flags, given), { [key]: value }, `${key}: the only override`);
    assert.ok(trainConfigSchema.safeParse(config).success, key);
  }
});

test('with no flags the config is the defaults, and --augment alone means 2 pixels', () => {
  const { flags, given } = parse([]);
  assert.deepEqual(trainConfigFromFlags(flags, DEFAULT_TRAIN_CONFIG, given), DEFAULT_TRAIN_CONFIG);
  const alone = parse(['--augment']);
  assert.equal(trainConfigFromFlags(alone.flags, DEFAULT_TRAIN_CONFIG, alone.given).augment, 2);
  assert.ok(trainConfigSchema.safeParse(DEFAULT_TRAIN_CONFIG).success);
});

test('preset flags name no default and override nothing unless given', () => {
  const { flags, given } = parse(['--epochs', '3'], true);
  assert.deepEqual(trainOverridesFromFlags(flags, given), { epochs: 3 });
});
