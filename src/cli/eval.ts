import { Command, Option } from 'commander';
import { COMMANDS } from './commands.js';
import { evaluateRun } from '../experiment/evaluate-run.js';
import { BACKENDS, type BackendChoice } from '../backend/backend.js';
import { choiceFlag, positiveIntegerFlag } from './flags.js';

export function evalCommand(): Command {
  return new Command('eval')
    .description(COMMANDS.eval.description)
    .argument('<run>', 'run folder (from randwire train --out)')
    .option('--data <dir>', 'evaluate on the test files (t10k-*) of this IDX folder instead; the training files are not needed')
    .option('--test-limit <n>', "a seeded subset of this many test images (default: the run's own --test-limit, if it had one)", positiveIntegerFlag)
    .option('--full-test-set', 'every test image, even if the run was evaluated on a subset')
    .addOption(new Option('--backend <name>', 'tfjs backend').argParser(choiceFlag(BACKENDS)))
    .option('--json', 'print {testAccuracy, testLoss, testImages} as JSON')
    .action(async (run: string, opts: { data?: string; testLimit?: number; fullTestSet?: boolean; backend?: BackendChoice; json?: boolean }) => {
      const r = await evaluateRun(run, { dataDir: opts.data, backend: opts.backend, testLimit: opts.testLimit, fullTestSet: opts.fullTestSet });
      if (opts.json) process.stdout.write(JSON.stringify({ testAccuracy: r.accuracy, testLoss: r.loss, testImages: r.count }) + '\n');
      else
        process.stdout.write(
          `test accuracy ${(r.accuracy * 100).toFixed(2)} % (${Math.round(r.accuracy * r.count)}/${r.count}) | test loss ${r.loss.toFixed(4)}\n`,
        );
    });
}
