import { Queue } from 'bullmq';
import { RandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import type { Redis } from 'ioredis';
import type { PlannedTrial } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { sweepId } from '../sweep/coordination.js';
import { sleep, within } from '../sweep/processes.js';
import { runLocal, type LocalRunOptions, type LocalRunResult } from '../sweep/local.js';
import { QUEUE_NAME, jobIdOf, type TrialJob } from './messages.js';
import { storeJobResult } from './results.js';
import { REDIS_WAIT_MS, answered } from './connection.js';

const POLL_MS = 2000;

export interface TakeOver {
  /** Trials whose jobs a queue worker holds (active): never trained here. */
  held: Set<string>;
  /** Jobs no worker held, removed from the queue: their trials are trained here. */
  removed: number;
  /** Results that workers finished and no coordinator had stored yet. */
  collected: number;
}

/**
 * Go through the open trials' jobs: collect finished results, leave the trials a worker trains
 * now, and remove every other job so that no worker takes a trial trained here. BullMQ refuses to
 * remove a job whose lock a live worker renews: that refusal is what tells a held trial, also for
 * a job taken between the look and the removal. Every call to Redis waits at most `waitMs`: a
 * Redis that stops answering ends `--local` with a one-line error (its trials are in the store).
 */
export async function takeOver(
  store: SweepStore,
  trials: PlannedTrial[],
  dir: string,
  connection: Redis,
  log: (l: string) => void,
  waitMs = REDIS_WAIT_MS,
): Promise<TakeOver> {
  const queue = new Queue<TrialJob>(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  const sweep = sweepId(store);
  const out: TakeOver = { held: new Set(), removed: 0, collected: 0 };
  const unanswered = (seconds: number): RandwireError =>
    new RandwireError(
      'queue',
      `Redis stopped answering (nothing within ${seconds} s) while --local asked it which trials queue workers hold; what was trained here is kept: run randwire sweep run ${dir} --local again once Redis is back`,
    );
  const ask = <T>(p: Promise<T>): Promise<T> => answered(p, unanswered, waitMs);
  try {
    for (const t of trials) {
      if (store.trial(t.id)?.status === 'done') continue;
      const job = await ask(queue.getJob(jobIdOf(sweep, t.id)));
      if (!job) continue;
      const state = await ask(job.getState());
      if (state === 'completed') {
        const r = await ask(storeJobResult(store, connection, dir, t, job, log));
        if (typeof r !== 'string') {
          out.collected++;
          log(
            `[${store.countDone(new Set(trials.map((x) => x.id)))}/${trials.length}] ${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed}: test accuracy ${(r.summary.testAccuracy * 100).toFixed(2)} % on ${r.host} (collected from the queue)`,
          );
        }
      }
      // An active job whose lock has lapsed belonged to a worker that died: no worker checks
      // stalled jobs when none is left, so it is taken over here rather than waited for.
      if (
        !(await ask(
          job.remove().then(
            () => true,
            () => false,
          ),
        ))
      ) {
        out.held.add(t.id);
        continue;
      }
      if (state !== 'completed') out.removed++;
      if (state === 'active') log(`${t.id} (${t.cell.label}): its worker stopped renewing the job's lock (gone?); trained here`);
    }
  } finally {
    // The queue shares the caller's connection, which the caller ends: an unanswered close loses nothing.
    await within(
      queue.close().catch(() => {}),
      waitMs,
    );
  }
  return out;
}

/**
 * `sweep run --local` for a sweep sent to a queue: train here every trial no worker holds (its
 * job removed first), collect what workers finish, and take over a trial whose worker gives it up
 * (its job no longer active), until every trial is done. No trial is trained here and there at once.
 */
export async function runLocalBesideQueue(
  store: SweepStore,
  trials: PlannedTrial[],
  dir: string,
  connection: Redis,
  o: LocalRunOptions,
): Promise<LocalRunResult> {
  const result: LocalRunResult = { trained: 0, failed: [], stopped: false };
  let first = true;
  let waitingSaid = false;
  for (;;) {
    const t = await takeOver(store, trials, dir, connection, o.log);
    if (first || t.removed > 0) {
      o.log(
        `${dir} was sent to a queue: ${plural(t.removed, 'job')} no worker held taken off it to train here, ${plural(t.held.size, 'trial')} left to the workers that train them${t.collected ? `, ${plural(t.collected, 'finished result')} collected` : ''}`,
      );
    }
    first = false;
    const mine = trials.filter((x) => !t.held.has(x.id) && store.trial(x.id)?.status !== 'done' && !result.failed.includes(x.id));
    if (mine.length > 0) {
      const r = await runLocal(store, mine, dir, o);
      result.trained += r.trained;
      result.failed.push(...r.failed);
      if (r.stopped) return { ...result, stopped: true };
    }
    if (t.held.size === 0) return result;
    if (o.shouldStop?.()) return { ...result, stopped: true };
    if (!waitingSaid)
      o.log(
        `waiting for the ${plural(t.held.size, 'trial')} that queue workers train: their results are collected here, and a trial a worker gives up is trained here`,
      );
    waitingSaid = true;
    await sleep(POLL_MS);
  }
}
