import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { writeFamilyFigures, writeGraphFigures } from '../experiment/graph-figures.js';
import { integerFlag, seedingFlag } from './flags.js';
import { LATEST_SEEDING, SEEDING_HELP, type Seeding } from '../core/rng.js';
import { plural } from '../core/format.js';

export function figuresCommand(): Command {
  return new Command('figures')
    .description(COMMANDS.figures.description)
    .option('--out <dir>', 'output folder', 'figures')
    .option('--seed <n>', 'random seed of every graph', integerFlag, 1)
    .option('--seeding <1|2>', SEEDING_HELP, seedingFlag, LATEST_SEEDING)
    .option('--families', 'instead, one figure of every generator family with its default parameters')
    .action(async (opts: { out: string; seed: number; seeding: Seeding; families?: boolean }) => {
      for (const f of await (opts.families ? writeFamilyFigures : writeGraphFigures)(opts.out, opts.seed, opts.seeding)) {
        process.stdout.write(`${f.svg}  (${plural(f.edges, 'edge')})\n`);
      }
    });
}
