import { Command, InvalidArgumentError, Option } from 'commander';
import { GENERATORS, resolveParams } from '../graph/generators.js';
import { DEFAULT_MODEL_OPTIONS, MODEL_NAMES, type ModelOptions } from '../model/registry.js';
import { choiceFlag, flagOf, integerFlag, numberFlag, positiveIntegerFlag } from './flags.js';
import { parseGraph } from '../graph/format.js';
import { readText } from '../io/files.js';
import { RandwireError } from '../core/errors.js';

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
    .addOption(
      new Option('--generator <name>', 'RandWire graph generator').argParser(choiceFlag(Object.keys(GENERATORS))).default(DEFAULT_MODEL_OPTIONS.generator),
    )
    .option('--dropout <rate>', 'RandWire dropout before the classifier', numberFlag, DEFAULT_MODEL_OPTIONS.dropout)
    .option('--seed <n>', 'master seed (graphs, weights, data order)', integerFlag, DEFAULT_MODEL_OPTIONS.seed)
    .option(
      '--graph <files>',
      'RandWire stage graphs from graph JSON files (randwire graph ... --out, graph import): one for every stage, or one per stage, comma-separated',
    );
  for (const name of GRAPH_PARAM_NAMES) {
    const users = Object.entries(GENERATORS)
      .filter(([, g]) => Object.hasOwn(g.params, name))
      .map(([k]) => k);
    cmd.option(`${flagOf(name)} <value>`, `graph parameter ${name} (${users.join(', ')})`, numberFlag);
  }
  return cmd;
}

/** Model options from parsed flags; unset flags keep `defaults` (see trainConfigFromFlags). */
export function modelOptionsFromFlags(
  flags: Record<string, unknown>,
  defaults: Partial<ModelOptions> = {},
  isSet: (flag: string) => boolean = () => true,
): ModelOptions {
  const base: ModelOptions = { ...DEFAULT_MODEL_OPTIONS, ...defaults };
  const pick = <T>(flag: string, fallback: T): T => (isSet(flag) && flags[flag] !== undefined ? (flags[flag] as T) : fallback);
  const generator = pick('generator', base.generator);
  const given: Record<string, number | undefined> = generator === base.generator ? { ...base.graphParams } : {};
  for (const name of GRAPH_PARAM_NAMES) if (isSet(name) && flags[name] !== undefined) given[name] = flags[name] as number;
  const common = {
    ...base,
    model: pick('model', base.model),
    inputShape: pick('input', base.inputShape),
    classes: pick('classes', base.classes),
    regime: pick('regime', base.regime),
    channels: pick('channels', base.channels),
    dropout: pick('dropout', base.dropout),
    seed: pick('seed', base.seed),
  };
  const graphFiles = isSet('graph') && typeof flags.graph === 'string' ? flags.graph.split(',').filter(Boolean) : undefined;
  if (!graphFiles) {
    const nodes = pick('nodes', base.nodes);
    return { ...common, nodes, generator, graphParams: resolveParams(generator, nodes, given) };
  }
  const graphs = graphFiles.map((f) => parseGraph(readText(f, 'graph file'), f));
  const stages = common.regime === 'regular' ? 4 : 3;
  if (graphs.length !== 1 && graphs.length !== stages) {
    throw new RandwireError('model', `--graph takes one graph file or ${stages} (one per stage), got ${graphs.length}`);
  }
  const all = graphs.length === 1 ? Array.from({ length: stages }, () => graphs[0]!) : graphs;
  return { ...common, nodes: all[0]!.nodes, generator: all[0]!.generator, graphParams: {}, graphs: all };
}
