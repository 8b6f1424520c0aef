import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PlannedTrial } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import type { RunSummary } from '../experiment/run-files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { trialResultSchema, type TrialJob, type TrialResult } from './messages.js';
import { takeWeights } from './weights.js';

/**
 * Store a completed job's result in the sweep (its weights first: once the result is stored,
 * nothing would fetch them again). A result that does not validate is not stored; the reason is
 * returned instead.
 */
export async function storeJobResult(
  store: SweepStore,
  connection: Redis,
  dir: string,
  t: PlannedTrial,
  job: Job<TrialJob>,
  log: (l: string) => void,
): Promise<TrialResult | string> {
  const r = trialResultSchema.safeParse(job.returnvalue);
  if (!r.success) return `a worker returned a result that does not validate (${r.error.issues[0]?.message ?? ''}); refused`;
  const w = r.data.weights;
  const problem = w === undefined ? undefined : typeof w === 'string' ? w : await takeWeights(connection, job.id!, join(dir, SWEEP_FILES.trials, t.id), w);
  if (problem) log(`${t.id}: weights not kept: ${problem}`);
  store.finish(t.id, r.data.summary as RunSummary, r.data.history);
  return r.data;
}
