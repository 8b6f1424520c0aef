import { Command } from 'commander';
import { compareSweeps } from '../report/sweep-compare.js';
import { plural } from '../core/format.js';

export function sweepCompareCommand(): Command {
  return new Command('compare')
    .description('compare sweeps: one anytime figure (best validation accuracy against epochs and time) and a table of what each cost and found, with retrains')
    .argument('<dirs...>', 'sweep folders')
    .requiredOption('--out <folder>', 'where to write anytime.csv/svg, table.md/csv and retrains.csv')
    .addHelpText(
      'after',
      '\nExample:\n  randwire sweep compare sweeps/fashion-random sweeps/fashion-hyperband sweeps/fashion-evolution --out results/search-fashion\n',
    )
    .action(async (dirs: string[], flags: { out: string }) => {
      const r = await compareSweeps(dirs, flags.out);
      process.stdout.write(`wrote ${plural(r.files.length, 'file')} to ${flags.out} (${plural(r.summaries.length, 'sweep')})\n`);
    });
}
