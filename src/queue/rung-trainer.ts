import { join } from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunSummary } from '../experiment/run-files.js';
import type { EpochMetrics } from '../train/state.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import type { PlannedTrial, SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { sweepId } from '../sweep/coordination.js';
import { SearchStore } from '../sweep/search-store.js';
import { TIMED_OUT, within } from '../sweep/processes.js';
import type { RungJob, RungOutcome, TrainToEpoch } from '../sweep/rung-job.js';
import { REDIS_WAIT_MS } from './connection.js';
import { JOB_NAME, QUEUE_NAME, pausedResultSchema, progressSchema, rungJobIdOf, trialResultSchema, type TrialJob } from './messages.js';
import { checkpointEpoch, checkpointSlot, dropCheckpoints, fetchCheckpoint, installCheckpoint, putCheckpoint } from './checkpoints.js';
import { takeWeights } from './weights.js';
import { rungPriorities } from './rung-priority.js';

export interface RungTrainerOptions {
  connection: Redis;
  /** The sweep file's data and its folder's SHA-256, as workers resolve them (see QueuedRunOptions). */
  data: string;
  dataSha256: string | undefined;
  /** BullMQ attempts of a rung job beyond the first; after them the rung ends failed. */
  retries: number;
  weights: boolean;
  log: (line: string) => void;
  /** BullMQ priority of a job (1 first); default: the halving planner's order (rung-priority.ts). */
  priority?: (trialId: string, stopEpoch: number) => number;
}

export interface QueueRungTrainer {
  trainTo: TrainToEpoch;
  /** Wait for a rung job that is in Redis already, without enqueueing one (`--local` beside the workers). */
  wait: TrainToEpoch;
  /** Remove the jobs whose results the store holds, and close the queue (not the connection). */
  close(): Promise<void>;
}

interface Pending {
  t: PlannedTrial;
  stopEpoch: number;
  onEpoch: (m: EpochMetrics) => void;
  resolve: (o: RungOutcome) => void;
  started: boolean;
  /** Enqueued here (trainTo), so enqueued again if Redis loses it; a job only waited for is asked for again instead. */
  ours: boolean;
}

const RECONCILE_MS = 2000;
/** Rounds between two looks for jobs Redis lost (restarted without persistence). */
const LOST_JOBS_EVERY = 5;

/**
 * The training action of a halving or evolution search through the queue: a rung is a job (one per trial and
 * stop epoch, so asking again after a coordinator restart finds the job, waiting, running or
 * done, instead of enqueueing it twice), prioritised as the planner orders work. Outcomes come
 * from reconciling the queue (completed and failed jobs), so a result that finished while no
 * coordinator ran is collected. A paused result's checkpoint goes into the sweep folder and, for
 * the trial's next rung, back into Redis beside that job (queue/checkpoints.ts).
 */
export function queueRungTrainer(store: SweepStore, plan: SweepPlan, dir: string, o: RungTrainerOptions): QueueRungTrainer {
  const { connection } = o;
  const queue = new Queue<TrialJob>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  events.on('error', () => {});
  const sweep = sweepId(store);
  const priority = o.priority ?? rungPriorities(plan);
  const pending = new Map<string, Pending>();
  const trialDir = (t: PlannedTrial): string => join(dir, SWEEP_FILES.trials, t.id);

  events.on('progress', ({ jobId, data }) => {
    const p = pending.get(jobId);
    const progress = progressSchema.safeParse(data);
    if (!p || !progress.success) return;
    try {
      if (!p.started) {
        p.started = true;
        store.markRunning(p.t.id, progress.data.pid, progress.data.host);
        o.log(`${p.t.id} (${p.t.cell.label}) trains towards epoch ${p.stopEpoch} on ${progress.data.host}`);
      }
      if (progress.data.epoch) p.onEpoch(progress.data.epoch);
    } catch (e) {
      // The store refused (a full disk): runHalving's own writes fail alike and end the run with the error.
      o.log(`${p.t.id}: progress not stored: ${(e as Error).message}`);
    }
  });

  const collect = async (job: Job<TrialJob>, p: Pending): Promise<RungOutcome> => {
    if (p.stopEpoch < p.t.config.epochs) {
      const r = pausedResultSchema.safeParse(job.returnvalue);
      if (!r.success) return { kind: 'failed', error: `a worker returned a rung result that does not validate (${r.error.issues[0]?.message ?? ''}); refused` };
      const note = r.data.checkpoint;
      const have = checkpointEpoch(trialDir(p.t));
      if (note !== undefined && typeof note !== 'string' && (have === undefined || have < note.epoch)) {
        const files = await fetchCheckpoint(connection, checkpointSlot(job.id!, 'out'), note);
        if (typeof files === 'string') o.log(`${p.t.id}: its checkpoint is not kept in the sweep folder: ${files}`);
        else installCheckpoint(trialDir(p.t), p.t.config, files);
      } else if (typeof note === 'string') o.log(`${p.t.id}: its checkpoint stayed on ${r.data.host}: ${note}`);
      return { kind: 'paused', epoch: r.data.paused.epoch, validationAccuracy: r.data.paused.validationAccuracy, history: r.data.history };
    }
    const r = trialResultSchema.safeParse(job.returnvalue);
    if (!r.success) return { kind: 'failed', error: `a worker returned a result that does not validate (${r.error.issues[0]?.message ?? ''}); refused` };
    const w = r.data.weights;
    const problem = w === undefined ? undefined : typeof w === 'string' ? w : await takeWeights(connection, job.id!, trialDir(p.t), w);
    if (problem) o.log(`${p.t.id}: weights not kept: ${problem}`);
    return { kind: 'done', summary: r.data.summary as RunSummary, history: r.data.history };
  };

  const settle = (id: string, outcome: RungOutcome): void => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.resolve(outcome);
  };

  /** The rung's job, unless it is in Redis already: its checkpoint first, so a job never waits for one. */
  const enqueue = async (id: string, p: Pending): Promise<void> => {
    if (await queue.getJob(id)) return;
    const dirOf = trialDir(p.t);
    let checkpoint;
    if (checkpointEpoch(dirOf) !== undefined) {
      const note = await putCheckpoint(connection, checkpointSlot(id, 'in'), dirOf);
      if (typeof note === 'string') o.log(`${p.t.id}: its checkpoint cannot travel (${note}); a worker without it trains the trial from its own folder`);
      else checkpoint = note;
    }
    const job: TrialJob = {
      sweep,
      data: o.data,
      ...(o.dataSha256 ? { dataSha256: o.dataSha256 } : {}),
      config: p.t.config,
      ...(o.weights ? { weights: true } : {}),
      ...(p.stopEpoch < p.t.config.epochs ? { stopAfterEpoch: p.stopEpoch } : {}),
      ...(checkpoint ? { checkpoint } : {}),
    };
    await queue.add(JOB_NAME, job, {
      jobId: id,
      attempts: o.retries + 1,
      priority: priority(p.t.id, p.stopEpoch),
      removeOnComplete: false,
      removeOnFail: false,
    });
  };

  /**
   * A job only waited for (`--local`) that is gone, or that no live worker holds any more (BullMQ
   * lets a job be removed only then): its outcome `stopped` makes runHalving ask for the rung again,
   * and `--local` trains it here.
   */
  const unheld = async (id: string): Promise<boolean> => {
    const job = await queue.getJob(id);
    if (!job) return true;
    if (
      ['completed', 'failed'].includes(await job.getState()) ||
      !(await job.remove().then(
        () => true,
        () => false,
      ))
    )
      return false;
    await dropCheckpoints(connection, id);
    o.log(`${id}: its worker stopped renewing the job's lock (gone?); trained here`);
    return true;
  };

  /** The ids of this sweep's jobs whose results the store holds: rung results, and trials done (an evolution's members). */
  const storedJobIds = (): Set<string> =>
    new Set([
      ...SearchStore.of(store)
        .rungResults()
        .map((r) => rungJobIdOf(sweep, r.trialId, r.epoch)),
      ...store
        .trials()
        .filter((r) => r.status === 'done' && r.epochs !== null)
        .map((r) => rungJobIdOf(sweep, r.id, r.epochs!)),
    ]);
  // Checkpoints first: a coordinator killed in between leaves the job, which the next run removes
  // (and drops again); the other order would leave checkpoints that no job names any more.
  const remove = async (job: Job<TrialJob>): Promise<void> => {
    await dropCheckpoints(connection, job.id!);
    await job.remove().catch(() => {});
  };

  let round = 0;
  let busy = false;
  const reconcile = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      // A job goes once the store holds its result (a later round: runHalving stores an outcome as it
      // resolves), never before: a coordinator killed in between collects it again.
      const stored = storedJobIds();
      for (const job of await queue.getJobs(['completed'])) {
        const p = pending.get(job.id ?? '');
        if (p) settle(job.id!, await collect(job, p));
        else if (stored.has(job.id ?? '')) await remove(job);
      }
      // BullMQ leaves a job failed only when it tries it no more: the rung fails for good.
      for (const job of await queue.getJobs(['failed'])) {
        if (pending.has(job.id ?? ''))
          settle(job.id!, { kind: 'failed', error: `${job.failedReason || 'failed'} (after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'})` });
        else if (stored.has(job.id ?? '')) await remove(job);
      }
      if (++round % LOST_JOBS_EVERY === 0) {
        for (const [id, p] of pending) {
          if (p.ours) await enqueue(id, p);
          else if (await unheld(id)) settle(id, { kind: 'stopped' });
        }
      }
    } catch (e) {
      o.log(`the queue could not be reconciled (${(e as Error).message}); trying again`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void reconcile(), RECONCILE_MS);
  events.on('completed', () => void reconcile());
  events.on('failed', () => void reconcile());

  /** Wait for the rung's job (already in Redis) to end: collected when it completes, failed when BullMQ gives it up. */
  const wait = (t: PlannedTrial, stopEpoch: number, onEpoch: (m: EpochMetrics) => void): RungJob & { id: string; p: Pending } => {
    const id = rungJobIdOf(sweep, t.id, stopEpoch);
    let resolve: (o: RungOutcome) => void = () => {};
    const outcome = new Promise<RungOutcome>((r) => (resolve = r));
    const p: Pending = { t, stopEpoch, onEpoch, resolve, started: false, ours: false };
    pending.set(id, p);
    void reconcile();
    // Cancel leaves the job to its worker: a later run collects it.
    return { id, p, pid: null, startsLater: true, cancel: () => settle(id, { kind: 'stopped' }), outcome };
  };

  const trainTo: TrainToEpoch = (t, stopEpoch, onEpoch) => {
    const job = wait(t, stopEpoch, onEpoch);
    job.p.ours = true;
    enqueue(job.id, job.p).then(
      () => reconcile(),
      (e: Error) => o.log(`${t.id}: its rung job could not be enqueued yet (${e.message}); trying again`),
    );
    return job;
  };

  const close = async (): Promise<void> => {
    clearInterval(timer);
    const done = (async () => {
      while (busy) await new Promise((r) => setTimeout(r, 50));
      await reconcile();
      await events.close();
      await queue.close();
    })().catch(() => {});
    if ((await within(done, REDIS_WAIT_MS)) === TIMED_OUT)
      o.log('Redis did not answer while the coordinator closed its queue; the sweep folder holds every result');
  };
  return { trainTo, wait, close };
}
