import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { trainRun } from '../experiment/run.js';
import { addModelFlags } from './model-flags.js';
import { addTrainFlags, givenOnCommandLine, trainConfigFromFlags } from './train-flags.js';
import { mergeConfigFile, seedingOf } from '../experiment/config.js';
import { SEEDING_WHEN_ABSENT } from '../core/rng.js';
import { readJson } from '../io/json.js';
import { interruptFlag, progressReporter } from './progress.js';
import { positiveIntegerFlag } from './flags.js';
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
  const cmd = new Command('train').description(COMMANDS.train.description).usage('--out <dir> [options]');
  addModelFlags(cmd);
  addTrainFlags(cmd)
    .requiredOption('--out <dir>', 'required: the run folder (config, metrics, checkpoint, model, summary)')
    .option('--resume', 'continue the run in --out from its checkpoint (its config.json is used)')
    .option('--config <file>', "start from this config JSON (a run's config.json); flags given override it")
    .option(
      '--stop-after-epoch <k>',
      'pause after epoch K (1..--epochs) with its checkpoint and metrics, under the learning-rate schedule of all --epochs; ' +
        '--resume continues it (with a later K, or to the end) exactly as an uninterrupted run',
      positiveIntegerFlag,
    )
    .action(async (flags: Record<string, unknown>) => {
      const file = flags.config as string | undefined;
      const base = file ? mergeConfigFile(readJson(file, 'config file'), file) : undefined;
      const config = base ? trainConfigFromFlags(flags, base, givenOnCommandLine(cmd)) : trainConfigFromFlags(flags);
      const out = flags.out as string;
      if (file && !flags.resume && seedingOf(config) === SEEDING_WHEN_ABSENT) {
        process.stderr.write(`${file} names no seeding: the run uses seeding 1, as runs made before 2026-12-04 did (--seeding 2 for the new streams)\n`);
      }
      const interrupt = interruptFlag();
      try {
        const outcome = await trainRun(config, out, {
          resume: Boolean(flags.resume),
          stopAfterEpoch: flags.stopAfterEpoch as number | undefined,
          onEvent: progressReporter(modelLabel(out, Boolean(flags.resume), config.model.model)),
          shouldStop: interrupt.stop,
          log: (l) => process.stderr.write(l + '\n'),
          flagsGiven: cmd.options
            .filter((opt) => !['out', 'resume', 'stopAfterEpoch'].includes(opt.attributeName()) && cmd.getOptionValueSource(opt.attributeName()) === 'cli')
            .map((opt) => opt.long ?? opt.flags),
        });
        if (outcome.kind === 'stopped') {
          process.exitCode = 130;
          return;
        }
        if (outcome.kind === 'paused') {
          const acc = outcome.metrics.valAccuracy;
          process.stdout.write(
            `paused after epoch ${outcome.epoch} of ${outcome.epochs} | validation accuracy ${acc === null ? '-' : `${(acc * 100).toFixed(2)} %`} | ${out} (continue with --resume)\n`,
          );
          return;
        }
        const summary = outcome.summary;
        process.stdout.write(
          `test accuracy ${(summary.testAccuracy * 100).toFixed(2)} % | test loss ${summary.testLoss.toFixed(4)} | ${plural(summary.epochs, 'epoch')} in ${summary.seconds.toFixed(0)} s | ${out}\n`,
        );
      } finally {
        interrupt.dispose();
      }
    });
  return cmd;
}
