import { Command, Option } from 'commander';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../experiment/config.js';
import { TRAIN_OPTIONS, TRAIN_OPTION_KEYS, type TrainOptionKey, type TrainOptions } from '../experiment/train-options.js';
import { flagParser } from './flags.js';
import { modelOptionsFromFlags } from './model-flags.js';

/**
 * The training flags of `train` and `reproduce`, one per entry of TRAIN_OPTIONS. With
 * `fromPreset` (reproduce) the help names no default: an unset flag keeps the preset's value.
 */
export function addTrainFlags(cmd: Command, defaults: TrainConfig = DEFAULT_TRAIN_CONFIG, fromPreset = false): Command {
  for (const key of TRAIN_OPTION_KEYS) {
    // Widened: the table's entries differ in value type, a flag only passes the value on.
    const o: { flag: string; help: string; parse?: (text: string) => unknown; givenAlone?: unknown } = TRAIN_OPTIONS[key];
    const flag = new Option(o.flag, fromPreset ? `${o.help} (default: the preset's)` : o.help);
    if (o.parse) flag.argParser(flagParser(o.parse));
    if (!fromPreset && defaults[key] !== undefined && o.givenAlone === undefined) flag.default(defaults[key]);
    // The option's attribute is the config key (--warmup sets warmupEpochs).
    flag.attributeName = () => key;
    cmd.addOption(flag);
  }
  return cmd;
}

/** The value of one training flag as parsed, with an optional-value flag given alone resolved. */
function flagValue(key: TrainOptionKey, raw: unknown): unknown {
  const alone = TRAIN_OPTIONS[key].givenAlone;
  return raw === true && alone !== undefined ? alone : raw;
}

/** The training options the user set: `{key: value}` for each flag given. */
export function trainOverridesFromFlags(f: Record<string, unknown>, isSet: (flag: string) => boolean): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  for (const key of TRAIN_OPTION_KEYS) if (isSet(key) && f[key] !== undefined) out[key] = flagValue(key, f[key]);
  return out as Partial<TrainOptions>;
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
  return {
    ...defaults,
    ...trainOverridesFromFlags(f, isSet),
    model: modelOptionsFromFlags(f, defaults.model, isSet),
    seed: isSet('seed') && f.seed !== undefined ? (f.seed as number) : defaults.seed,
  };
}

/** isSet for a commander command: true only for flags given on the command line. */
export function givenOnCommandLine(cmd: Command): (flag: string) => boolean {
  return (flag) => cmd.getOptionValueSource(flag) === 'cli';
}
