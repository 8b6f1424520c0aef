import { Command } from 'commander';
import { cpus } from 'node:os';
import { RandwireError, isRandwireError } from '../core/errors.js';
import { closeSweep, openSweep } from '../sweep/folder.js';
import { runLocal } from '../sweep/local.js';
import { runHalving } from '../sweep/halving-run.js';
import { runEvolution } from '../sweep/evolution-run.js';
import { localRungTrainer } from '../sweep/halving-trainer.js';
import { runQueued } from '../queue/coordinator.js';
import { runEvolutionQueued, runHalvingQueued } from '../queue/search-queued.js';
import { runHalvingBesideQueue } from '../queue/halving-local.js';
import { halvingFinished } from '../sweep/halving-status.js';
import { runLocalBesideQueue } from '../queue/take-over.js';
import { connectChecked, parseQueueUrl, QUEUE_URL_ENV, type QueueUrl } from '../queue/connection.js';
import { DATA_SOURCES } from '../data/sources.js';
import { dataFingerprint } from '../data/fingerprint.js';
import { writeSweepReport } from '../report/sweep-report.js';
import { nonNegativeIntegerFlag, positiveIntegerFlag } from './flags.js';
import { interruptFlag } from './progress.js';
import { presetOption } from './sweep-flags.js';
import { plural } from '../core/format.js';
import { enumerationBudget, searchBudgetOf } from '../sweep/search-budget.js';

interface RunFlags {
  preset?: string;
  out?: string;
  new?: string;
  workers: number;
  retries: number;
  queue?: string | true;
  local?: boolean;
}

/**
 * The queue that `--local` must ask which trials its workers hold. Without it (no URL, or Redis
 * down) --local refuses: the store cannot tell a live worker's trial from a dead one's (its
 * heartbeats come from the coordinator, which is not running), and a waiting job would be trained
 * twice once Redis is back.
 */
async function queueForLocal(url: QueueUrl | undefined, queuedTo: string, dir: string, log: (l: string) => void) {
  const why = `${dir} was sent to the queue ${queuedTo}; --local must ask it which trials its workers hold, and`;
  const u = url ?? (process.env[QUEUE_URL_ENV] ? parseQueueUrl(undefined) : undefined);
  if (!u) throw new RandwireError('sweep', `${why} no URL is given: set ${QUEUE_URL_ENV} (or add --queue URL)`);
  try {
    return await connectChecked(u, log, 'coordinator');
  } catch (e) {
    if (!isRandwireError(e)) throw e;
    throw new RandwireError('sweep', `${why} ${e.message.replace(/^queue: /, '')}; run it again when Redis is back`);
  }
}

/** `--queue` takes an optional URL, so `--queue sweeps/x` reads the folder as one: say so. */
export function queueUrl(value: string | true | undefined) {
  if (value === undefined) return undefined;
  if (value !== true && !value.includes('://')) {
    throw new RandwireError('queue', `'${value}' is not a queue URL; put the sweep file or folder before --queue, or write --queue=redis://host:port`);
  }
  return parseQueueUrl(value === true ? undefined : value);
}

/** A halving search on this machine, with how busy its workers stayed (what bench:search reads). */
async function runHalvingHere(...args: Parameters<typeof runHalving>) {
  const r = await runHalving(...args);
  args[3].log(
    `workers busy ${(r.busy * 100).toFixed(1)} % of the time; coordinator ${r.overheadMsPerTrial.toFixed(2)} ms per trial (planning and store writes)`,
  );
  return r;
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
      let connection = queued ? await connectChecked(queued, log, 'coordinator') : undefined;
      let sweep: ReturnType<typeof openSweep>;
      try {
        sweep = openSweep({ path: file, preset: flags.preset }, flags.out, flags.new);
      } catch (e) {
        connection?.disconnect();
        throw e;
      }
      const interrupt = interruptFlag();
      try {
        const spec = sweep.plan.spec;
        const halving = spec.search?.strategy === 'halving';
        const evolution = spec.search?.strategy === 'evolution';
        const queuedTo = sweep.store.getMeta('queue');
        if (evolution && flags.local && queuedTo)
          throw new RandwireError(
            'sweep',
            `--local is not built for an evolution search sent to a queue; continue it with: randwire sweep run ${sweep.dir} --queue`,
          );
        if (!url && queuedTo && !flags.local) {
          throw new RandwireError('sweep', `${sweep.dir} was sent to the queue ${queuedTo}; continue with --queue, or pass --local to train the rest here`);
        }
        const budget = searchBudgetOf(spec);
        if (budget?.minutes !== undefined && (queued || (flags.local && queuedTo))) {
          throw new RandwireError(
            'sweep',
            "search.budget.minutes needs the sweep trained on this machine (the queue does not count its workers' time); give epochs or trials, or train without --queue",
          );
        }
        if (queued) sweep.store.setMeta('queue', queued.redacted);
        if (sweep.added) log(`${plural(sweep.added, 'new trial')} added to ${sweep.dir}`);
        // Grid and random under a budget: a prefix of the plan (epochs, trials) and a check before each start (minutes).
        const enumeration = halving ? undefined : enumerationBudget(sweep.store, sweep.plan.trials, budget);
        const trials = enumeration?.trials ?? sweep.plan.trials;
        const local = { workers: flags.workers, retries: flags.retries, log, shouldStop: interrupt.stop };
        const finished = halving && halvingFinished(sweep.store, sweep.plan);
        if (finished) log(`${sweep.dir}: the halving search is finished (every bracket decided to its top rung); nothing to train`);
        if (!finished && flags.local && queuedTo && trials.some((t) => sweep.store.trial(t.id)?.status !== 'done'))
          connection = await queueForLocal(url, queuedTo, sweep.dir, log);
        const queuedRun =
          queued && connection
            ? {
                url: queued,
                connection,
                data: spec.data,
                dataSha256: Object.hasOwn(DATA_SOURCES, spec.data) ? undefined : dataFingerprint(spec.data),
                weights: spec.weights,
                retries: flags.retries,
                log,
                shouldStop: interrupt.stop,
              }
            : undefined;
        const r = finished
          ? { trained: 0, failed: [], stopped: false }
          : flags.local && queuedTo && connection && halving
            ? await runHalvingBesideQueue(sweep.store, sweep.plan, sweep.dir, connection, local)
            : flags.local && queuedTo && connection
              ? await runLocalBesideQueue(sweep.store, trials, sweep.dir, connection, local)
              : queuedRun && halving
                ? await runHalvingQueued(sweep.store, sweep.plan, sweep.dir, queuedRun)
                : queuedRun && evolution
                  ? await runEvolutionQueued(sweep.store, sweep.plan, sweep.dir, queuedRun)
                  : queuedRun
                    ? await runQueued(sweep.store, trials, sweep.dir, queuedRun)
                    : halving
                      ? await runHalvingHere(sweep.store, sweep.plan, sweep.dir, { ...local, trainTo: localRungTrainer(sweep.dir, flags.workers) })
                      : evolution
                        ? await runEvolution(sweep.store, sweep.plan, sweep.dir, { ...local, trainTo: localRungTrainer(sweep.dir, flags.workers) })
                        : await runLocal(sweep.store, trials, sweep.dir, { ...local, ...(enumeration?.mayStart ? { mayStart: enumeration.mayStart } : {}) });
        const spent = r.stopped ? undefined : enumeration?.end();
        if (spent) log(`${spent}; the search ends here (raise search.budget and run again to continue)`);
        if (r.stopped) {
          log(`stopped; continue with: randwire sweep run ${sweep.dir}${queued ? ' --queue' : flags.local ? ' --local' : ''}`);
          process.exitCode = 130;
          return;
        }
        const report = await writeSweepReport(sweep.dir, sweep.plan, sweep.store, undefined, (line) => process.stderr.write(`${line}\n`));
        process.stdout.write(`wrote ${report.files.filter((f) => f.endsWith('table.md'))[0] ?? report.dir}\n`);
        if (r.failed.length) {
          const next = evolution ? '; they never win a tournament (the children bred after them depend on it)' : ', then run again to retry them';
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
