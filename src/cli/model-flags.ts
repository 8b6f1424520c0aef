import { Command, InvalidArgumentError, Option } from 'commander';
import { GENERATORS, resolveParams } from '../graph/generators.js';
import { DEFAULT_MODEL_OPTIONS, MODEL_NAMES, type ModelOptions } from '../model/registry.js';
import { choiceFlag, integerFlag, numberFlag, positiveIntegerFlag } from './flags.js';

export function shapeFlag(value: string): [number, number, number] {
  const parts = value.toLowerCase().split('x').map(Number);
  if (parts.length !== 3 || !parts.every((p) => Number.isInteger(p) && p > 0)) {
    throw new InvalidArgumentError('expected HxWxC, e.g. 28x28x1.');
  }
  return parts as [number, number, number];
}

const GRAPH_PARAM_NAMES = [...new Set(Object.values(GENERATORS).flatMap((g) => Object.keys(g.params)))];

/** The model flags shared by `model`, `train` and `bench`. */
export function addModelFlags(cmd: Command, withModelOption = true): Command {
  if (withModelOption) cmd.addOption(new Option('--model <name>', 'model').argParser(choiceFlag(MODEL_NAMES)).default(DEFAULT_MODEL_OPTIONS.model));
  cmd
    .option('--input <HxWxC>', 'input shape', shapeFlag)
    .option('--classes <n>', 'number of classes', positiveIntegerFlag)
    .addOption(new Option('--regime <regime>', 'RandWire regime').argParser(choiceFlag(['small', 'regular'] as const)).default(DEFAULT_MODEL_OPTIONS.regime))
    .option('--channels <C>', 'RandWire base channels C', positiveIntegerFlag, DEFAULT_MODEL_OPTIONS.channels)
    .option('--nodes <N>', 'RandWire nodes per stage N', positiveIntegerFlag, DEFAULT_MODEL_OPTIONS.nodes)
    .addOption(new Option('--generator <name>', 'RandWire graph generator').argParser(choiceFlag(Object.keys(GENERATORS))).default(DEFAULT_MODEL_OPTIONS.generator))
    .option('--dropout <rate>', 'RandWire dropout before the classifier', numberFlag, DEFAULT_MODEL_OPTIONS.dropout)
    .option('--seed <n>', 'master seed (graphs, weights, data order)', integerFlag, DEFAULT_MODEL_OPTIONS.seed);
  for (const name of GRAPH_PARAM_NAMES) {
    const users = Object.entries(GENERATORS).filter(([, g]) => Object.hasOwn(g.params, name)).map(([k]) => k);
    cmd.option(`--${name} <value>`, `graph parameter ${name.toUpperCase()} (${users.join(', ')})`, numberFlag);
  }
  return cmd;
}

/** Model options from parsed flags; graph parameters default per generator (WS(4,0.75), ER(0.2), BA(5)). */
export function modelOptionsFromFlags(flags: Record<string, unknown>, defaults: Partial<ModelOptions> = {}): ModelOptions {
  const generator = (flags.generator as string | undefined) ?? DEFAULT_MODEL_OPTIONS.generator;
  const graphParams: Record<string, number | undefined> = {};
  for (const name of GRAPH_PARAM_NAMES) if (flags[name] !== undefined) graphParams[name] = flags[name] as number;
  return {
    ...DEFAULT_MODEL_OPTIONS,
    ...defaults,
    model: (flags.model as string | undefined) ?? defaults.model ?? DEFAULT_MODEL_OPTIONS.model,
    inputShape: (flags.input as [number, number, number] | undefined) ?? defaults.inputShape ?? DEFAULT_MODEL_OPTIONS.inputShape,
    classes: (flags.classes as number | undefined) ?? defaults.classes ?? DEFAULT_MODEL_OPTIONS.classes,
    regime: flags.regime as 'small' | 'regular',
    channels: flags.channels as number,
    nodes: flags.nodes as number,
    generator,
    graphParams: resolveParams(generator, (flags.nodes as number | undefined) ?? DEFAULT_MODEL_OPTIONS.nodes, graphParams),
    dropout: flags.dropout as number,
    seed: flags.seed as number,
  };
}
