import { Queue, QueueEvents, type Job } from 'bullmq';
import { plural } from '../core/format.js';
import type { PlannedTrial } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import type { LocalRunResult } from '../sweep/local.js';
import { keepCoordinating, sweepId } from '../sweep/coordination.js';
import { TIMED_OUT, sleep, within } from '../sweep/processes.js';
import type { Redis } from 'ioredis';
import { REDIS_WAIT_MS, type QueueUrl } from './connection.js';
import { JOB_NAME, QUEUE_NAME, jobIdOf, progressSchema, type TrialJob } from './messages.js';
import { storeJobResult } from './results.js';
import { collectFromFolder, trialsWithoutJob } from './reconcile.js';

export interface QueuedRunOptions {
  url: QueueUrl;
  /** From connectChecked, made before the sweep folder is touched; closed here. */
  connection: Redis;
  /** The sweep file's data (a name or a folder), as workers resolve it on their own machines. */
  data: string;
  /** SHA-256 of a folder data set's files, which workers check theirs against. */
  dataSha256: string | undefined;
  retries: number;
  /** Bring each trial's trained weights back into trials/<id>/model/. */
  weights: boolean;
  log: (line: string) => void;
  shouldStop?: () => boolean;
}

const RECONCILE_MS = 2000;
/** Rounds between two looks for lost jobs (one EXISTS per open trial); a reconnect looks at once. */
const LOST_JOBS_EVERY = 5;

/**
 * Run a sweep's trials through the queue: enqueue every trial not done (one job per sweep and
 * trial, never twice), then bring the store in line with the queue until every trial is done or
 * failed. Reconciling (not only listening) collects results that finished while no coordinator
 * ran, and a missed event loses nothing. The caller holds the sweep's coordination.
 */
export async function runQueued(store: SweepStore, trials: PlannedTrial[], dir: string, o: QueuedRunOptions): Promise<LocalRunResult> {
  const connection = o.connection;
  const queue = new Queue<TrialJob>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  events.on('error', () => {});
  const sweep = sweepId(store);
  const jobOf = new Map(trials.map((t) => [jobIdOf(sweep, t.id), t]));
  const total = trials.length;
  const ids = new Set(trials.map((t) => t.id));
  let trained = 0;
  const failed = new Set<string>();
  let wake: () => void = () => {};
  const hosts = new Map<string, string>();
  // A store that cannot be written (a full disk) ends the loop below with its one-line error.
  let fatal: unknown;
  const halt = (e: unknown): void => {
    fatal ??= e;
    wake();
  };
  const stopBeating = keepCoordinating(store, halt);
  events.on('progress', ({ jobId, data }) => {
    const t = jobOf.get(jobId);
    const p = progressSchema.safeParse(data);
    if (!t || !p.success) return;
    try {
      if (store.trial(t.id)?.status === 'queued') store.markRunning(t.id, p.data.pid, p.data.host);
      else store.assignWorker(t.id, p.data.pid, p.data.host);
      if (p.data.epoch) store.putEpoch(t.id, p.data.epoch);
      store.heartbeat(t.id);
    } catch (e) {
      halt(e);
    }
    if (hosts.get(t.id) !== p.data.host) o.log(`${t.id} (${t.cell.label}) is training on ${p.data.host}`);
    hosts.set(t.id, p.data.host);
  });
  events.on('completed', () => wake());
  events.on('failed', () => wake());

  const finish = async (t: PlannedTrial, job: Job<TrialJob>): Promise<void> => {
    const r = await storeJobResult(store, connection, dir, t, job, o.log);
    if (typeof r === 'string') {
      store.fail(t.id, r, false);
      failed.add(t.id);
    } else {
      trained++;
      o.log(
        `[${store.countDone(ids)}/${total}] ${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed}: test accuracy ${(r.summary.testAccuracy * 100).toFixed(2)} % in ${r.summary.seconds.toFixed(0)} s on ${r.host}`,
      );
    }
    await job.remove().catch(() => {});
  };

  const isOpen = (t: PlannedTrial): boolean => {
    const s = store.trial(t.id)?.status;
    return s !== 'done' && s !== 'failed';
  };

  // Failed trials of an earlier run get new attempts: their old jobs go, and fresh ones are added below.
  for (const row of store.trials().filter((r) => r.status === 'failed')) await (await queue.getJob(jobIdOf(sweep, row.id)))?.remove().catch(() => {});
  store.requeueFailed();
  const failuresBefore = new Map(trials.map((t) => [t.id, store.failures(t.id).length]));
  o.log(`${dir}: ${store.countDone(ids)} of ${total} trials done; the rest go to ${o.url.redacted} (start randwire worker there)`);
  const enqueue = (t: PlannedTrial) =>
    queue.add(
      JOB_NAME,
      { sweep, data: o.data, ...(o.dataSha256 ? { dataSha256: o.dataSha256 } : {}), config: t.config, ...(o.weights ? { weights: true } : {}) },
      { jobId: jobIdOf(sweep, t.id), attempts: o.retries + 1, removeOnComplete: false, removeOnFail: false },
    );
  /** Open trials without a job: a finished folder is collected, the rest enqueued. */
  const restore = async (): Promise<{ collected: number; enqueued: number }> => {
    let collected = 0;
    let enqueued = 0;
    for (const t of await trialsWithoutJob(queue, connection, sweep, trials.filter(isOpen))) {
      if (collectFromFolder(store, dir, t)) {
        collected++;
        trained++;
        o.log(
          `[${store.countDone(ids)}/${total}] ${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed}: collected from its folder (finished; its result was not in Redis)`,
        );
      } else {
        await enqueue(t);
        enqueued++;
      }
    }
    return { collected, enqueued };
  };
  await restore();
  // After a reconnect the next round comes at once: a Redis restarted without persistence lost every job.
  let reconnected = false;
  let wasDown = false;
  connection.on('close', () => void (wasDown = true));
  connection.on('ready', () => {
    if (!wasDown) return;
    wasDown = false;
    reconnected = true;
    wake();
  });

  let stopped = false;
  try {
    for (let round = 1; trials.some(isOpen); round++) {
      for (const job of await queue.getJobs(['completed'])) {
        const t = jobOf.get(job.id ?? '');
        if (t && isOpen(t)) await finish(t, job);
        // Stored already (collected by `--local`, or from its folder): the job is only clutter.
        else if (t) await job.remove().catch(() => {});
      }
      // BullMQ leaves a job in `failed` only when it will not try again (attempts spent, an
      // UnrecoverableError, or stalled too often), so failed is final here.
      for (const job of await queue.getJobs(['failed'])) {
        const t = jobOf.get(job.id ?? '');
        if (!t || !isOpen(t)) continue;
        store.fail(t.id, job.failedReason || 'failed', false, job.attemptsMade);
        failed.add(t.id);
        o.log(`${t.id} (${t.cell.label}) failed after ${plural(job.attemptsMade, 'attempt')}: ${job.failedReason}`);
      }
      // Attempts that failed and will be retried: their errors are kept too.
      for (const job of await queue.getJobs(['wait', 'delayed', 'prioritized', 'active'])) {
        const t = jobOf.get(job.id ?? '');
        if (!t || !isOpen(t) || !job.failedReason) continue;
        const seen = store.failures(t.id).length - (failuresBefore.get(t.id) ?? 0);
        if (job.attemptsMade > seen) store.recordFailure(t.id, job.attemptsMade, job.failedReason);
      }
      const lost = reconnected || round % LOST_JOBS_EVERY === 0 ? await restore() : { collected: 0, enqueued: 0 };
      if (lost.collected + lost.enqueued > 0) {
        o.log(
          `Redis lost ${plural(lost.collected + lost.enqueued, 'job')} (restarted without persistence?); ${lost.enqueued} enqueued again${lost.collected ? `, ${plural(lost.collected, 'finished trial')} collected from their folders` : ''}`,
        );
      } else if (reconnected) o.log('reconnected: every open trial still has its job in Redis');
      reconnected = false;
      const active = new Set((await queue.getJobs(['active'])).map((j) => j.id));
      for (const t of trials.filter(isOpen)) {
        const running = active.has(jobIdOf(sweep, t.id));
        if (running && store.trial(t.id)?.status === 'queued') store.markRunning(t.id, null, hosts.get(t.id) ?? null);
        if (!running && store.trial(t.id)?.status === 'running') store.release(t.id);
      }
      await Promise.race([sleep(RECONCILE_MS), new Promise<void>((r) => (wake = r))]);
      if (fatal !== undefined) throw fatal;
      if (o.shouldStop?.()) {
        stopped = true;
        o.log('the coordinator stops; the workers go on, and running it again collects what they finished');
        break;
      }
    }
  } finally {
    stopBeating();
    // A lost Redis must not hold the coordinator at its end: the store already holds every result.
    const closed = Promise.all([events.close().catch(() => {}), queue.close().catch(() => {})]);
    if ((await within(closed, REDIS_WAIT_MS)) === TIMED_OUT)
      o.log('Redis did not answer while the coordinator closed its queue; the sweep folder holds every result');
    connection.disconnect();
  }
  return { trained, failed: [...failed], stopped };
}
