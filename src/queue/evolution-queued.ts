import type { SweepPlan } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { runEvolution, type EvolutionRunResult } from '../sweep/evolution-run.js';
import type { QueuedRunOptions } from './coordinator.js';
import { queueRungTrainer } from './rung-trainer.js';

/**
 * An evolution search through the queue: the same coordinator as on this machine (runEvolution:
 * every child and result in sweep.db, children bred in a fixed order whatever the workers), its
 * members trained to their last epoch by `randwire worker`s. Every member the planner can breed is
 * enqueued at once (the search's window bounds how many); BullMQ makes a member's attempts.
 */
export async function runEvolutionQueued(store: SweepStore, plan: SweepPlan, dir: string, o: QueuedRunOptions): Promise<EvolutionRunResult> {
  // Members in the order they are enqueued: the one bred first trains first.
  let next = 0;
  const order = new Map<string, number>();
  const priority = (trialId: string): number => {
    if (!order.has(trialId)) order.set(trialId, ++next);
    return Math.min(2 ** 21, order.get(trialId)!);
  };
  const trainer = queueRungTrainer(store, plan, dir, { connection: o.connection, data: o.data, dataSha256: o.dataSha256, retries: o.retries, weights: o.weights, log: o.log, priority });
  o.log(`${dir}: the evolution's members go to ${o.url.redacted} (start randwire worker there)`);
  try {
    const r = await runEvolution(store, plan, dir, { workers: Number.POSITIVE_INFINITY, retries: 0, log: o.log, shouldStop: o.shouldStop, trainTo: trainer.trainTo });
    if (r.stopped) o.log('the coordinator stops; the workers go on, and running it again collects what they finished');
    return r;
  } finally {
    await trainer.close();
    o.connection.disconnect();
  }
}
