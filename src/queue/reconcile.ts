import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PlannedTrial } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { readJsonLines } from '../io/json.js';
import { RUN_FILES, readSummary } from '../experiment/run-files.js';
import type { EpochMetrics } from '../train/state.js';
import { jobIdOf, type TrialJob } from './messages.js';

/**
 * The open trials that have no job in Redis: never enqueued, or lost when Redis restarted
 * without persistence (the store, not the queue, is the record of what is finished). One
 * pipelined EXISTS per trial: the coordinator asks every LOST_JOBS_EVERY-th round and at once
 * after a reconnect.
 */
export async function trialsWithoutJob(queue: Queue<TrialJob>, connection: Redis, sweep: string, open: PlannedTrial[]): Promise<PlannedTrial[]> {
  if (open.length === 0) return [];
  const pipe = connection.pipeline();
  for (const t of open) pipe.exists(queue.toKey(jobIdOf(sweep, t.id)));
  const replies = (await pipe.exec()) ?? [];
  return open.filter((_, i) => {
    const [error, exists] = replies[i] ?? [new Error('no reply'), 1];
    // Unsure (no reply): treat as present, the next round asks again.
    return !error && exists === 0;
  });
}

/**
 * A trial whose folder in the sweep holds a finished run (a worker that shares the sweep folder
 * as its --work finished it, and its result was lost from Redis): stored from the folder instead
 * of trained again. Returns whether it was.
 */
export function collectFromFolder(store: SweepStore, dir: string, t: PlannedTrial): boolean {
  const trialDir = join(dir, SWEEP_FILES.trials, t.id);
  let summary;
  try {
    summary = readSummary(trialDir);
    if (!summary) return false;
    store.finish(t.id, summary, readJsonLines<EpochMetrics>(join(trialDir, RUN_FILES.metrics), 'metrics'));
  } catch {
    // A folder that cannot be read is trained (or collected by a worker) again.
    return false;
  }
  return true;
}
