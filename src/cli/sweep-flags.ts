import { Option } from 'commander';
import { SWEEP_PRESETS, SWEEP_PRESET_NAMES } from '../sweep/presets.js';
import { choiceFlag } from './flags.js';

/** `--preset NAME`, shared by the sweep commands that read a spec. */
export function presetOption(): Option {
  return new Option(
    '--preset <name>',
    `a sweep that comes with randwire: ${SWEEP_PRESET_NAMES.map((n) => `${n} (${SWEEP_PRESETS[n].description})`).join('; ')}`,
  ).argParser(choiceFlag(SWEEP_PRESET_NAMES));
}
