import { Command } from 'commander';
import { trainRun } from '../experiment/run.js';
import { addModelFlags } from './model-flags.js';
import { addTrainFlags, givenOnCommandLine, trainConfigFromFlags } from './train-flags.js';
import { mergeConfigFile } from '../experiment/config.js';
import { readJson } from '../io/json.js';
import { interruptFlag, progressReporter } from './progress.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRunConfig } from '../experiment/run-files.js';
import { RUN_FILES } from '../io/run-layout.js';
import { plural } from '../core/format.js';

/** A resumed run keeps its own config, so its model, not the --model default, names the progress lines. */
function modelLabel(out: string, resume: boolean, fromFlags: string): string {
  if (!resume || !existsSync(join(out, RUN_FILES.config))) return fromFlags;
  try {
    return readRunConfig(out).model.model;
  } catch {
    // trainRun reports a bad config.json in one line; the label does not matter then.
    return fromFlags;
  }
}

export function trainCommand(): Command {
  // Commander lists a required option among the optional ones: the usage line and its text say it.
  const cmd = new Command('train').description('train a model on MNIST or an IDX data set into a run folder').usage('--out <dir> [options]');
  addModelFlags(cmd);
  addTrainFlags(cmd)
    .requiredOption('--out <dir>', 'required: the run folder (config, metrics, checkpoint, model, summary)')
    .option('--resume', 'continue the run in --out from its checkpoint (its config.json is used)')
    .option('--config <file>', 'start from this config JSON (a run\'s config.json); flags given override it')
    .action(async (flags: Record<string, unknown>) => {
      const file = flags.config as string | undefined;
      const base = file ? mergeConfigFile(readJson(file, 'config file'), file) : undefined;
      const config = base ? trainConfigFromFlags(flags, base, givenOnCommandLine(cmd)) : trainConfigFromFlags(flags);
      const out = flags.out as string;
      const interrupt = interruptFlag();
      try {
        const summary = await trainRun(config, out, {
          resume: Boolean(flags.resume),
          onEvent: progressReporter(modelLabel(out, Boolean(flags.resume), config.model.model)),
          shouldStop: interrupt.stop,
          log: (l) => process.stderr.write(l + '\n'),
          flagsGiven: cmd.options
            .filter((opt) => !['out', 'resume'].includes(opt.attributeName()) && cmd.getOptionValueSource(opt.attributeName()) === 'cli')
            .map((opt) => opt.long ?? opt.flags),
        });
        if (!summary) {
          process.exitCode = 130;
          return;
        }
        process.stdout.write(
          `test accuracy ${(summary.testAccuracy * 100).toFixed(2)} % | test loss ${summary.testLoss.toFixed(4)} | ${plural(summary.epochs, 'epoch')} in ${summary.seconds.toFixed(0)} s | ${out}\n`,
        );
      } finally {
        interrupt.dispose();
      }
    });
  return cmd;
}
