import { Command } from 'commander';
import { readSweep } from '../sweep/folder.js';
import { writeSweepReport } from '../report/sweep-report.js';

export function sweepReportCommand(): Command {
  return new Command('report')
    .description("(re)write a sweep's report from its store: tables, significance, correlations with graph statistics, figures")
    .argument('<dir>', 'sweep folder')
    .action(async (dir: string) => {
      const { plan, store } = readSweep(dir);
      try {
        const r = await writeSweepReport(dir, plan, store);
        process.stdout.write(`wrote ${r.files.length} files to ${r.dir} (${r.cells.length} cells)\n`);
      } finally {
        store.close();
      }
    });
}
