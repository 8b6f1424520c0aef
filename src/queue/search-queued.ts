import type { SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { runEvolution, type EvolutionRunResult } from '../sweep/evolution-run.js';
import { runHalving, type HalvingRunResult } from '../sweep/halving-run.js';
import type { SearchRunOptions, SearchRunResult } from '../sweep/rung-job.js';
import type { QueuedRunOptions } from './coordinator.js';
import { queueRungTrainer } from './rung-trainer.js';

/**
 * A search through the queue: the same coordinator as on this machine (every result, decision and
 * child in sweep.db, decided in a fixed order whatever the workers), its jobs trained by
 * `randwire worker`s. Every job the planner offers is enqueued at once (the workers set the pace,
 * in the planner's order by priority), and a failed job has had its attempts in BullMQ, so the
 * coordinator does not retry it again.
 */
async function runSearchQueued<R extends SearchRunResult>(
  store: SweepStore,
  plan: SweepPlan,
  dir: string,
  o: QueuedRunOptions,
  run: (store: SweepStore, plan: SweepPlan, dir: string, options: SearchRunOptions) => Promise<R>,
  jobs: string,
  priority?: (trialId: string) => number,
): Promise<R> {
  const trainer = queueRungTrainer(store, plan, dir, {
    connection: o.connection,
    data: o.data,
    dataSha256: o.dataSha256,
    retries: o.retries,
    weights: o.weights,
    log: o.log,
    priority,
  });
  o.log(`${dir}: ${jobs} go to ${o.url.redacted} (start randwire worker there)`);
  try {
    const r = await run(store, plan, dir, { workers: Number.POSITIVE_INFINITY, retries: 0, log: o.log, shouldStop: o.shouldStop, trainTo: trainer.trainTo });
    if (r.stopped) o.log('the coordinator stops; the workers go on, and running it again collects what they finished');
    return r;
  } finally {
    await trainer.close();
    o.connection.disconnect();
  }
}

/** A halving search's rungs, prioritised by the rung trainer in the planner's order. */
export function runHalvingQueued(store: SweepStore, plan: SweepPlan, dir: string, o: QueuedRunOptions): Promise<HalvingRunResult> {
  return runSearchQueued(store, plan, dir, o, runHalving, "the halving search's rungs");
}

/** An evolution's members (the search's window bounds how many are enqueued), the one bred first trained first. */
export function runEvolutionQueued(store: SweepStore, plan: SweepPlan, dir: string, o: QueuedRunOptions): Promise<EvolutionRunResult> {
  let next = 0;
  const order = new Map<string, number>();
  const priority = (trialId: string): number => {
    if (!order.has(trialId)) order.set(trialId, ++next);
    // BullMQ's largest priority.
    return Math.min(2 ** 21, order.get(trialId)!);
  };
  return runSearchQueued(store, plan, dir, o, runEvolution, "the evolution's members", priority);
}
