import { Command, Option } from 'commander';
import { COMMANDS } from './commands.js';
import { reproduce, defaultWorkers, reportTitle, resultsSeeding } from '../experiment/reproduce.js';
import { PRESET_NAMES, PRESETS } from '../experiment/presets.js';
import { writeReport } from '../report/report.js';
import { choiceFlag, integerFlag, positiveIntegerFlag } from './flags.js';
import { interruptFlag } from './progress.js';
import { addTrainFlags, givenOnCommandLine, trainOverridesFromFlags } from './train-flags.js';
import { DEFAULT_TRAIN_CONFIG } from '../experiment/config.js';

export function reproduceCommand(): Command {
  const cmd = new Command('reproduce')
    .description(COMMANDS.reproduce.description)
    .addOption(
      new Option('--preset <name>', PRESET_NAMES.map((n) => `${n}: ${PRESETS[n].description}`).join('; ')).argParser(choiceFlag(PRESET_NAMES)).default('quick'),
    )
    .option('--out <dir>', 'results folder (default results/mnist-<preset>)')
    .option('--workers <n>', 'models trained at once, one process each', positiveIntegerFlag, defaultWorkers())
    .option('--resume', 'continue an interrupted reproduction, reusing finished runs')
    .option('--seed <n>', 'master seed', integerFlag, 1)
    .option('--channels <C>', 'RandWire base channels (overrides the preset)', positiveIntegerFlag)
    .option('--nodes <N>', 'RandWire nodes per stage (overrides the preset; the study uses 32)', positiveIntegerFlag);
  addTrainFlags(cmd, DEFAULT_TRAIN_CONFIG, true).action(async (flags: Record<string, unknown>) => {
    const given = givenOnCommandLine(cmd);
    const preset = flags.preset as string;
    const out = (flags.out as string | undefined) ?? `results/mnist-${preset}`;
    // Only the training flags given on the command line override the preset.
    const overrides = trainOverridesFromFlags(flags, given);
    const randwire: Record<string, number> = {};
    if (given('channels')) randwire.channels = flags.channels as number;
    if (given('nodes')) randwire.nodes = flags.nodes as number;
    const interrupt = interruptFlag();
    try {
      const r = await reproduce({
        preset,
        out,
        workers: flags.workers as number,
        resume: Boolean(flags.resume),
        seed: flags.seed as number,
        overrides,
        randwire,
        log: (l) => process.stderr.write(l + '\n'),
        shouldStop: interrupt.stop,
      });
      for (const f of r.files.filter((f) => /table\.md|curves-.*\.png/.test(f))) process.stdout.write(`wrote ${f}\n`);
      if (r.stopped) {
        process.stderr.write(`stopped; continue with: randwire reproduce --preset ${preset} --out ${out} --resume\n`);
        process.exitCode = 130;
      } else if (r.failed.length) {
        process.stderr.write(`randwire: reproduce: training failed for ${r.failed.join(', ')} (see the lines above); rerun with --resume\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(r.rows.map((row) => `${row.label.padEnd(24)} ${(row.testAccuracy * 100).toFixed(2)} %`).join('\n') + '\n');
      }
    } finally {
      interrupt.dispose();
    }
  });
  return cmd;
}

export function reportCommand(): Command {
  return new Command('report')
    .description(COMMANDS.report.description)
    .argument('<dir>', 'results folder (e.g. results/mnist-quick)')
    .action(async (dir: string) => {
      const r = await writeReport(dir, reportTitle(dir), resultsSeeding(dir));
      for (const f of r.files.filter((f) => /table\.md|curves-.*\.png/.test(f))) process.stdout.write(`wrote ${f}\n`);
      if (r.unfinished.length) process.stderr.write(`not finished yet: ${r.unfinished.join(', ')}\n`);
    });
}
