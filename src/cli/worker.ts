import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { RandwireError } from '../core/errors.js';
import { parseQueueUrl, QUEUE_URL_ENV } from '../queue/connection.js';
import { runWorker, type StopSignals } from '../queue/worker.js';
import { positiveIntegerFlag } from './flags.js';

/** The first SIGINT or SIGTERM resolves `stop`, the next one `kill`. */
function stopSignals(): StopSignals {
  let count = 0;
  let stop!: () => void;
  let kill!: () => void;
  const p = { stop: new Promise<void>((r) => (stop = r)), kill: new Promise<void>((r) => (kill = r)) };
  const on = (): void => void (++count === 1 ? stop() : kill());
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return p;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(COMMANDS.worker.description)
    .option(
      '--queue <url>',
      `redis://[user:password@]host:port[/db] or rediss:// (TLS); default: $${QUEUE_URL_ENV}, which keeps the password off the command line`,
    )
    .option('--concurrency <n>', 'trials trained at once, one process each', positiveIntegerFlag, Math.max(1, cpus().length))
    .option('--data <dir>', "folder of the sweeps' IDX files when their data is a folder (named sets like mnist and fashion-mnist are found here)")
    .option('--work <dir>', 'trial run folders; share one between machines and a stalled trial resumes from its checkpoint', 'randwire-work')
    .action(async (flags: { queue?: string; concurrency: number; data?: string; work: string }) => {
      if (flags.data !== undefined && !(existsSync(flags.data) && statSync(flags.data).isDirectory()))
        throw new RandwireError('worker', `--data ${flags.data} is not a folder`);
      const url = parseQueueUrl(flags.queue);
      // Process listings show the URL without its password.
      process.title = `randwire worker --queue ${url.redacted}`;
      const how = await runWorker(
        { url, concurrency: flags.concurrency, data: flags.data, work: resolve(flags.work), log: (l) => process.stderr.write(l + '\n') },
        stopSignals(),
      );
      process.exit(how === 'finished' ? 0 : 130);
    });
}
