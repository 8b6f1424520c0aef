import { Command } from 'commander';
import { cpus } from 'node:os';
import { RandwireError } from '../core/errors.js';
import { closeSweep, openSweep } from '../sweep/folder.js';
import { connectChecked, parseQueueUrl, QUEUE_URL_ENV } from '../queue/connection.js';
import { runOpenedSweep } from '../api/run-sweep.js';
import { nonNegativeIntegerFlag, positiveIntegerFlag } from './flags.js';
import { interruptFlag } from './progress.js';
import { presetOption } from './sweep-flags.js';
import { plural } from '../core/format.js';

interface RunFlags {
  preset?: string;
  out?: string;
  new?: string;
  workers: number;
  retries: number;
  queue?: string | true;
  local?: boolean;
}

/** `--queue` takes an optional URL, so `--queue sweeps/x` reads the folder as one: say so. */
export function queueUrl(value: string | true | undefined) {
  if (value === undefined) return undefined;
  if (value !== true && !value.includes('://')) {
    throw new RandwireError('queue', `'${value}' is not a queue URL; put the sweep file or folder before --queue, or write --queue=redis://host:port`);
  }
  return parseQueueUrl(value === true ? undefined : value);
}

export function sweepRunCommand(): Command {
  return new Command('run')
    .description("train a sweep's trials (resumable: run it again to continue), then write its report")
    .argument('[file]', 'sweep file (JSON) or sweep folder to continue')
    .addOption(presetOption())
    .option('--out <dir>', 'sweep folder (default sweeps/<name>)')
    .option('--new <dir>', 'start the sweep in this new folder (needed to change the recipe of a sweep with results)')
    .option('--workers <n>', 'trials trained at once, one process each', positiveIntegerFlag, Math.max(1, cpus().length))
    .option('--retries <n>', 'new attempts of a failed trial in this run', nonNegativeIntegerFlag, 2)
    .option(
      '--queue [url]',
      `train on \`randwire worker\`s through this Redis (BullMQ) instead of locally: redis://[user:password@]host:port[/db] or rediss://; given alone, $${QUEUE_URL_ENV}`,
    )
    .option(
      '--local',
      'train here a sweep that was sent to a queue before: trials its workers hold now are left to them and collected (needs the queue URL, as for --queue)',
    )
    .action(async (file: string | undefined, flags: RunFlags) => {
      const url = queueUrl(flags.queue);
      // With --local, a queue URL only names the queue to take trials back from.
      const queued = flags.local ? undefined : url;
      if (queued) process.title = `randwire sweep run --queue ${queued.redacted}`;
      const log = (l: string): void => void process.stderr.write(l + '\n');
      // A wrong URL or password is said before the sweep folder is made.
      const connection = queued ? await connectChecked(queued, log, 'coordinator') : undefined;
      let sweep: ReturnType<typeof openSweep>;
      try {
        sweep = openSweep({ path: file, preset: flags.preset }, flags.out, flags.new);
      } catch (e) {
        connection?.disconnect();
        throw e;
      }
      const interrupt = interruptFlag();
      try {
        const r = await runOpenedSweep(
          sweep,
          { workers: flags.workers, retries: flags.retries, log, shouldStop: interrupt.stop },
          { ...(queued && connection ? { queued: { url: queued, connection } } : {}), ...(flags.local ? { local: { url } } : {}) },
        );
        if (r.stopped) {
          log(`stopped; continue with: randwire sweep run ${sweep.dir}${queued ? ' --queue' : flags.local ? ' --local' : ''}`);
          process.exitCode = 130;
          return;
        }
        process.stdout.write(`wrote ${r.report?.files.filter((f) => f.endsWith('table.md'))[0] ?? r.report?.dir ?? sweep.dir}\n`);
        if (r.failed.length) {
          const next =
            sweep.plan.spec.search?.strategy === 'evolution'
              ? '; they never win a tournament (the children bred after them depend on it)'
              : ', then run again to retry them';
          log(
            `randwire: sweep: ${plural(r.failed.length, 'trial')} failed after ${r.failed.length === 1 ? 'its' : 'their'} retries (${r.failed.join(', ')}); see randwire sweep status ${sweep.dir}${next}`,
          );
          process.exitCode = 1;
        }
      } finally {
        interrupt.dispose();
        connection?.disconnect();
        closeSweep(sweep.store);
      }
    });
}
