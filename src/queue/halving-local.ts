import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import type { SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { sweepId } from '../sweep/coordination.js';
import { runHalving, type HalvingRunResult } from '../sweep/halving-run.js';
import type { RungJob, RungOutcome, SearchRunOptions, TrainToEpoch } from '../sweep/rung-job.js';
import { localRungTrainer } from '../sweep/halving-trainer.js';
import { within } from '../sweep/processes.js';
import { REDIS_WAIT_MS, answered } from './connection.js';
import { QUEUE_NAME, rungJobIdOf, type TrialJob } from './messages.js';
import { dropCheckpoints } from './checkpoints.js';
import { queueRungTrainer } from './rung-trainer.js';

/**
 * `sweep run DIR --local` for a halving search sent to a queue: the same coordinator (runHalving),
 * each rung it asks for trained here (localRungTrainer, in the sweep folder, where the coordinator
 * kept every paused checkpoint) unless a worker holds its job: then it is waited for and collected,
 * as a finished job is. A job no worker holds is taken off the queue first (BullMQ refuses to
 * remove a job whose lock a live worker renews: that refusal tells a held rung), every such job at
 * the start, so a free worker takes no more of them, and no rung trains here and there at once.
 * Nothing is enqueued.
 */
export async function runHalvingBesideQueue(
  store: SweepStore,
  plan: SweepPlan,
  dir: string,
  connection: Redis,
  o: Omit<SearchRunOptions, 'trainTo'>,
): Promise<HalvingRunResult> {
  const queue = new Queue<TrialJob>(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  const trainer = queueRungTrainer(store, plan, dir, {
    connection,
    data: plan.spec.data,
    dataSha256: undefined,
    retries: o.retries,
    weights: plan.spec.weights,
    log: o.log,
  });
  const local = localRungTrainer(dir, o.workers);
  const sweep = sweepId(store);
  let fatal: RandwireError | undefined;
  const unanswered = (seconds: number): RandwireError =>
    new RandwireError(
      'queue',
      `Redis stopped answering (nothing within ${seconds} s) while --local asked it which rungs queue workers hold; what was decided is kept: run randwire sweep run ${dir} --local again once Redis is back`,
    );
  const ask = <T>(p: Promise<T>): Promise<T> => answered(p, unanswered);

  /** Whether a worker holds the rung's job ('held'), it finished ('completed'), or it is trained here (its job, if any, removed). */
  const whose = async (id: string): Promise<'held' | 'completed' | 'here'> => {
    const job = await ask(queue.getJob(id));
    // A coordinator killed between putting a rung's checkpoint and enqueueing its job left the checkpoint alone.
    if (!job) return ask(dropCheckpoints(connection, id)).then(() => 'here' as const);
    if ((await ask(job.getState())) === 'completed') return 'completed';
    if (
      !(await ask(
        job.remove().then(
          () => true,
          () => false,
        ),
      ))
    )
      return 'held';
    await ask(dropCheckpoints(connection, id));
    return 'here';
  };

  const trainTo: TrainToEpoch = (t, stopEpoch, onEpoch) => {
    const id = rungJobIdOf(sweep, t.id, stopEpoch);
    let inner: RungJob | undefined;
    let cancelled = false;
    const outcome = (async (): Promise<RungOutcome> => {
      let where: Awaited<ReturnType<typeof whose>>;
      try {
        where = await whose(id);
      } catch (e) {
        fatal ??= e instanceof RandwireError ? e : unanswered(REDIS_WAIT_MS / 1000);
        return { kind: 'stopped' };
      }
      if (cancelled) return { kind: 'stopped' };
      if (where === 'here') {
        inner = local(t, stopEpoch, onEpoch);
        store.markRunning(t.id, inner.pid, hostname());
      } else {
        if (where === 'held') o.log(`${t.id} (${t.cell.label}): a queue worker trains it towards epoch ${stopEpoch}; its result is collected here`);
        inner = trainer.wait(t, stopEpoch, onEpoch);
      }
      return inner.outcome;
    })();
    return { pid: null, startsLater: true, cancel: () => ((cancelled = true), inner?.cancel()), outcome };
  };

  /** Every job of the sweep that no worker holds, off the queue at once: a free worker takes no more of them. */
  const takeOffQueue = async (): Promise<void> => {
    let removed = 0;
    let held = 0;
    for (const job of await ask(queue.getJobs(['wait', 'prioritized', 'delayed', 'active', 'failed']))) {
      if (!job.id?.startsWith(`${sweep}_`)) continue;
      if (
        !(await ask(
          job.remove().then(
            () => true,
            () => false,
          ),
        ))
      )
        held++;
      else {
        removed++;
        await ask(dropCheckpoints(connection, job.id));
      }
    }
    o.log(
      `${dir} was sent to a queue: its halving search goes on here; ${plural(removed, 'rung job')} no worker held taken off it, ${plural(held, 'rung')} left to the workers that train them (collected here)`,
    );
  };

  try {
    await takeOffQueue();
    const r = await runHalving(store, plan, dir, { ...o, shouldStop: () => fatal !== undefined || (o.shouldStop?.() ?? false), trainTo });
    if (fatal) throw fatal;
    return r;
  } finally {
    await trainer.close();
    await within(
      queue.close().catch(() => {}),
      REDIS_WAIT_MS,
    );
  }
}
