import type { SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { runHalving, type HalvingRunResult } from '../sweep/halving-run.js';
import type { QueuedRunOptions } from './coordinator.js';
import { queueRungTrainer } from './rung-trainer.js';

/**
 * A halving search through the queue: the same coordinator as on this machine (runHalving: every
 * result and decision in sweep.db), its rungs trained by `randwire worker`s. Every rung the planner
 * offers is enqueued at once (the workers set the pace, in the planner's order by priority), and a
 * failed rung has had its attempts in BullMQ, so runHalving does not retry it again.
 */
export async function runHalvingQueued(store: SweepStore, plan: SweepPlan, dir: string, o: QueuedRunOptions): Promise<HalvingRunResult> {
  const trainer = queueRungTrainer(store, plan, dir, { connection: o.connection, data: o.data, dataSha256: o.dataSha256, retries: o.retries, weights: o.weights, log: o.log });
  o.log(`${dir}: the halving search's rungs go to ${o.url.redacted} (start randwire worker there)`);
  try {
    const r = await runHalving(store, plan, dir, { workers: Number.POSITIVE_INFINITY, retries: 0, log: o.log, shouldStop: o.shouldStop, trainTo: trainer.trainTo });
    if (r.stopped) o.log('the coordinator stops; the workers go on, and running it again collects what they finished');
    return r;
  } finally {
    await trainer.close();
    o.connection.disconnect();
  }
}
