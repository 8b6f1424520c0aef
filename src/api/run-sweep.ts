import type { Redis } from 'ioredis';
import { RandwireError, isRandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { closeSweep, openSweep, type OpenSweep } from '../sweep/folder.js';
import type { SweepSource } from '../sweep/folder.js';
import { runLocal } from '../sweep/local.js';
import { runHalving } from '../sweep/halving-run.js';
import { runEvolution } from '../sweep/evolution-run.js';
import { localRungTrainer } from '../sweep/halving-trainer.js';
import { halvingFinished } from '../sweep/halving-status.js';
import { enumerationBudget, searchBudgetOf } from '../sweep/search-budget.js';
import { runQueued } from '../queue/coordinator.js';
import { runEvolutionQueued, runHalvingQueued } from '../queue/search-queued.js';
import { runHalvingBesideQueue } from '../queue/halving-local.js';
import { runLocalBesideQueue } from '../queue/take-over.js';
import { connectChecked, parseQueueUrl, QUEUE_URL_ENV, type QueueUrl } from '../queue/connection.js';
import { DATA_SOURCES } from '../data/sources.js';
import { dataFingerprint } from '../data/fingerprint.js';
import { writeSweepReport, type SweepReport } from '../report/sweep-report.js';

export interface RunSweepOptions {
  /** The sweep folder (default sweeps/<name>; a folder given as the source is itself). */
  out?: string;
  /** Start the sweep in this new folder (needed to change the recipe of a sweep with results). */
  new?: string;
  /** Trials trained at once, one process each (default 1). */
  workers?: number;
  /** New attempts of a failed trial in this run (default 2). */
  retries?: number;
  /** Aborting stops every trial at its next checkpoint; the result says `stopped`, and a later run continues. */
  signal?: AbortSignal;
  /** Polled as the signal is: stop when it returns true (the CLI's Ctrl-C). */
  shouldStop?: () => boolean;
  /** Progress lines (trials started and finished, decisions, budget); silent by default. */
  log?: (line: string) => void;
}

/** How queued sweeps run (the CLI's --queue and --local); the Node API runs sweeps on this machine. */
export interface QueueChoice {
  /** Train on `randwire worker`s through this Redis, already connected. */
  queued?: { url: QueueUrl; connection: Redis };
  /** Train here a sweep sent to a queue before; the URL of that queue, if given. */
  local?: { url: QueueUrl | undefined };
}

export interface RunSweepResult {
  dir: string;
  /** Trials the sweep file added to the folder in this run. */
  added: number;
  trained: number;
  /** Trials that failed after their retries. */
  failed: string[];
  /** Stopped by the signal: no report was written; run again to continue. */
  stopped: boolean;
  /** Written when the run was not stopped. */
  report?: SweepReport;
}

/**
 * Train a sweep's trials on this machine (as `randwire sweep run`), resumable: a second call with
 * the same folder continues it. The search section decides what trains: every trial (grid,
 * random), successive halving / Hyperband, or regularized evolution, within its budget. Then the
 * report is written. A bad sweep file throws a RandwireError listing every problem.
 */
export async function runSweep(source: SweepSource, o: RunSweepOptions = {}): Promise<RunSweepResult> {
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && o.workers >= 1))
    throw new RandwireError('sweep', `workers must be a positive integer, got ${String(o.workers)}`);
  if (o.retries !== undefined && !(Number.isInteger(o.retries) && o.retries >= 0))
    throw new RandwireError('sweep', `retries must be a non-negative integer, got ${String(o.retries)}`);
  const sweep = openSweep(source, o.out, o.new);
  try {
    return await runOpenedSweep(sweep, o, {});
  } finally {
    closeSweep(sweep.store);
  }
}

/**
 * The queue that `--local` must ask which trials its workers hold. Without it (no URL, or Redis
 * down) --local refuses: the store cannot tell a live worker's trial from a dead one's (its
 * heartbeats come from the coordinator, which is not running), and a waiting job would be trained
 * twice once Redis is back.
 */
async function queueForLocal(url: QueueUrl | undefined, queuedTo: string, dir: string, log: (l: string) => void): Promise<Redis> {
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

/** A halving search on this machine, with how busy its workers stayed (what bench:search reads). */
async function runHalvingHere(...args: Parameters<typeof runHalving>) {
  const r = await runHalving(...args);
  args[3].log(
    `workers busy ${(r.busy * 100).toFixed(1)} % of the time; coordinator ${r.overheadMsPerTrial.toFixed(2)} ms per trial (planning and store writes)`,
  );
  return r;
}

/** Run an opened sweep locally or through a queue; the caller closes it (and the queue's connection). */
export async function runOpenedSweep(sweep: OpenSweep, o: RunSweepOptions, q: QueueChoice): Promise<RunSweepResult> {
  const log = o.log ?? (() => {});
  const workers = o.workers ?? 1;
  const retries = o.retries ?? 2;
  const shouldStop = (): boolean => (o.signal?.aborted ?? false) || (o.shouldStop?.() ?? false);
  const spec = sweep.plan.spec;
  const halving = spec.search?.strategy === 'halving';
  const evolution = spec.search?.strategy === 'evolution';
  const queuedTo = sweep.store.getMeta('queue');
  if (evolution && q.local && queuedTo)
    throw new RandwireError('sweep', `--local is not built for an evolution search sent to a queue; continue it with: randwire sweep run ${sweep.dir} --queue`);
  if (!q.queued && !q.local && queuedTo) {
    throw new RandwireError('sweep', `${sweep.dir} was sent to the queue ${queuedTo}; continue with --queue, or pass --local to train the rest here`);
  }
  const budget = searchBudgetOf(spec);
  if (budget?.minutes !== undefined && (q.queued || (q.local && queuedTo))) {
    throw new RandwireError(
      'sweep',
      "search.budget.minutes needs the sweep trained on this machine (the queue does not count its workers' time); give epochs or trials, or train without --queue",
    );
  }
  if (q.queued) sweep.store.setMeta('queue', q.queued.url.redacted);
  if (sweep.added) log(`${plural(sweep.added, 'new trial')} added to ${sweep.dir}`);
  // Grid and random under a budget: a prefix of the plan (epochs, trials) and a check before each start (minutes).
  const enumeration = halving ? undefined : enumerationBudget(sweep.store, sweep.plan.trials, budget);
  const trials = enumeration?.trials ?? sweep.plan.trials;
  const local = { workers, retries, log, shouldStop };
  const finished = halving && halvingFinished(sweep.store, sweep.plan);
  if (finished) log(`${sweep.dir}: the halving search is finished (every bracket decided to its top rung); nothing to train`);
  let besideQueue: Redis | undefined;
  if (!finished && q.local && queuedTo && trials.some((t) => sweep.store.trial(t.id)?.status !== 'done'))
    besideQueue = await queueForLocal(q.local.url, queuedTo, sweep.dir, log);
  try {
    const queuedRun = q.queued && {
      url: q.queued.url,
      connection: q.queued.connection,
      data: spec.data,
      dataSha256: Object.hasOwn(DATA_SOURCES, spec.data) ? undefined : dataFingerprint(spec.data),
      weights: spec.weights,
      retries,
      log,
      shouldStop,
    };
    const rungs = (): ReturnType<typeof localRungTrainer> => localRungTrainer(sweep.dir, workers);
    const r = finished
      ? { trained: 0, failed: [], stopped: false }
      : besideQueue && halving
        ? await runHalvingBesideQueue(sweep.store, sweep.plan, sweep.dir, besideQueue, local)
        : besideQueue
          ? await runLocalBesideQueue(sweep.store, trials, sweep.dir, besideQueue, local)
          : queuedRun && halving
            ? await runHalvingQueued(sweep.store, sweep.plan, sweep.dir, queuedRun)
            : queuedRun && evolution
              ? await runEvolutionQueued(sweep.store, sweep.plan, sweep.dir, queuedRun)
              : queuedRun
                ? await runQueued(sweep.store, trials, sweep.dir, queuedRun)
                : halving
                  ? await runHalvingHere(sweep.store, sweep.plan, sweep.dir, { ...local, trainTo: rungs() })
                  : evolution
                    ? await runEvolution(sweep.store, sweep.plan, sweep.dir, { ...local, trainTo: rungs() })
                    : await runLocal(sweep.store, trials, sweep.dir, { ...local, ...(enumeration?.mayStart ? { mayStart: enumeration.mayStart } : {}) });
    const result = { dir: sweep.dir, added: sweep.added, trained: r.trained, failed: r.failed, stopped: r.stopped };
    if (r.stopped) return result;
    const spent = enumeration?.end();
    if (spent) log(`${spent}; the search ends here (raise search.budget and run again to continue)`);
    return { ...result, report: await writeSweepReport(sweep.dir, sweep.plan, sweep.store, undefined, log) };
  } finally {
    besideQueue?.disconnect();
  }
}
