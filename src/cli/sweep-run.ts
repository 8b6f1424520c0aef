import { Command } from 'commander';
import { cpus } from 'node:os';
import { openSweep } from '../sweep/folder.js';
import { runLocal } from '../sweep/local.js';
import { runQueued } from '../queue/coordinator.js';
import { parseQueueUrl, QUEUE_URL_ENV } from '../queue/connection.js';
import { writeSweepReport } from '../report/sweep-report.js';
import { nonNegativeIntegerFlag, positiveIntegerFlag } from './flags.js';
import { interruptFlag } from './progress.js';
import { presetOption } from './sweep-flags.js';

export function sweepRunCommand(): Command {
  return new Command('run')
    .description('train a sweep\'s trials (resumable: run it again to continue), then write its report')
    .argument('[file]', 'sweep file (JSON) or sweep folder to continue')
    .addOption(presetOption())
    .option('--out <dir>', 'sweep folder (default sweeps/<name>)')
    .option('--new <dir>', 'start the sweep in this new folder (needed to change the recipe of a sweep with results)')
    .option('--workers <n>', 'trials trained at once, one process each', positiveIntegerFlag, Math.max(1, cpus().length))
    .option('--retries <n>', 'new attempts of a failed trial in this run', nonNegativeIntegerFlag, 2)
    .option('--queue [url]', `train on \`randwire worker\`s through this Redis (BullMQ) instead of locally: redis://[user:password@]host:port[/db] or rediss://; given alone, $${QUEUE_URL_ENV}`)
    .action(async (file: string | undefined, flags: { preset?: string; out?: string; new?: string; workers: number; retries: number; queue?: string | true }) => {
      const url = flags.queue === undefined ? undefined : parseQueueUrl(flags.queue === true ? undefined : flags.queue);
      if (url) process.title = `randwire sweep run --queue ${url.redacted}`;
      const log = (l: string): void => void process.stderr.write(l + '\n');
      const sweep = openSweep({ path: file, preset: flags.preset }, flags.out, flags.new);
      if (sweep.added) log(`${sweep.added} new trial(s) added to ${sweep.dir}`);
      const interrupt = interruptFlag();
      try {
        const r = url
          ? await runQueued(sweep.store, sweep.plan.trials, sweep.dir, { url, data: sweep.plan.spec.data, weights: sweep.plan.spec.weights, retries: flags.retries, log, shouldStop: interrupt.stop })
          : await runLocal(sweep.store, sweep.plan.trials, sweep.dir, { workers: flags.workers, retries: flags.retries, log, shouldStop: interrupt.stop });
        if (r.stopped) {
          log(`stopped; continue with: randwire sweep run ${sweep.dir}`);
          process.exitCode = 130;
          return;
        }
        const report = await writeSweepReport(sweep.dir, sweep.plan, sweep.store);
        process.stdout.write(`wrote ${report.files.filter((f) => f.endsWith('table.md'))[0] ?? report.dir}\n`);
        if (r.failed.length) {
          log(`randwire: sweep: ${r.failed.length} trial(s) failed after their retries (${r.failed.join(', ')}); see randwire sweep status ${sweep.dir}, then run again to retry them`);
          process.exitCode = 1;
        }
      } finally {
        interrupt.dispose();
        sweep.store.close();
      }
    });
}
