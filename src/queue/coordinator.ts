import { Queue, QueueEvents, type Job } from 'bullmq';
import { hostname } from 'node:os';
import type { PlannedTrial } from '../sweep/plan.js';
import type { SweepStore } from '../sweep/store.js';
import type { RunSummary } from '../experiment/run-files.js';
import { takeCoordination, releaseCoordination, type LocalRunResult } from '../sweep/local.js';
import { sleep } from '../sweep/processes.js';
import { connect, type QueueUrl } from './connection.js';
import { takeWeights } from './weights.js';
import { join } from 'node:path';
import { SWEEP_FILES } from '../io/run-layout.js';
import { JOB_NAME, QUEUE_NAME, progressSchema, trialResultSchema, type TrialJob } from './messages.js';

export interface QueuedRunOptions {
  url: QueueUrl;
  /** The sweep file's data (a name or a folder), as workers resolve it on their own machines. */
  data: string;
  retries: number;
  /** Bring each trial's trained weights back into trials/<id>/model/. */
  weights: boolean;
  log: (line: string) => void;
  shouldStop?: () => boolean;
}

const RECONCILE_MS = 2000;

/**
 * Run a sweep's trials through the queue: enqueue every trial not done (job id = trial id, so
 * never twice), then bring the store in line with the queue until every trial is done or failed.
 * Reconciling (not only listening) means results that finished while no coordinator ran are
 * collected, and a missed event loses nothing.
 */
export async function runQueued(store: SweepStore, trials: PlannedTrial[], dir: string, o: QueuedRunOptions): Promise<LocalRunResult> {
  takeCoordination(store, dir);
  const connection = connect(o.url, o.log, 'coordinator');
  const queue = new Queue<TrialJob>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  events.on('error', () => {});
  const byId = new Map(trials.map((t) => [t.id, t]));
  const total = trials.length;
  let trained = 0;
  const failed = new Set<string>();
  let wake: () => void = () => {};
  const hosts = new Map<string, string>();
  events.on('progress', ({ jobId, data }) => {
    const p = progressSchema.safeParse(data);
    if (!byId.has(jobId) || !p.success) return;
    const row = store.trial(jobId);
    if (row?.status === 'queued') store.markRunning(jobId, p.data.pid, p.data.host);
    else store.assignWorker(jobId, p.data.pid, p.data.host);
    if (p.data.epoch) {
      store.putEpoch(jobId, p.data.epoch);
      if (hosts.get(jobId) !== p.data.host) o.log(`${jobId} (${byId.get(jobId)!.cell.label}) is training on ${p.data.host}`);
    }
    hosts.set(jobId, p.data.host);
    store.heartbeat(jobId);
  });
  events.on('completed', () => wake());
  events.on('failed', () => wake());

  // Failed trials of an earlier run get new attempts: their old jobs are removed and added afresh.
  for (const row of store.trials().filter((r) => r.status === 'failed' && byId.has(r.id))) {
    await (await queue.getJob(row.id))?.remove().catch(() => {});
  }
  store.requeueFailed();

  const collect = async (t: PlannedTrial, job: Job<TrialJob> | undefined): Promise<void> => {
    if (!job) {
      await queue.add(JOB_NAME, { sweep: store.getMeta('name') ?? '', data: o.data, config: t.config, ...(o.weights ? { weights: true } : {}) }, { jobId: t.id, attempts: o.retries + 1, removeOnComplete: false, removeOnFail: false });
      return;
    }
    const state = await job.getState();
    if (state === 'completed') {
      const r = trialResultSchema.safeParse(job.returnvalue);
      if (!r.success) {
        store.fail(t.id, `a worker returned a result that does not validate (${r.error.issues[0]?.message ?? ''}); refused`, false);
        failed.add(t.id);
      } else {
        store.finish(t.id, r.data.summary as RunSummary, r.data.history);
        const w = r.data.weights;
        const problem = w === undefined ? undefined : typeof w === 'string' ? w : await takeWeights(connection, t.id, join(dir, SWEEP_FILES.trials, t.id), w);
        if (problem) o.log(`${t.id}: weights not kept: ${problem}`);
        trained++;
        o.log(`[${store.countDone()}/${total}] ${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed}: test accuracy ${(r.data.summary.testAccuracy * 100).toFixed(2)} % in ${r.data.summary.seconds.toFixed(0)} s on ${r.data.host}`);
      }
      await job.remove().catch(() => {});
    } else if (state === 'failed' && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      store.fail(t.id, job.failedReason || 'failed', false);
      failed.add(t.id);
      o.log(`${t.id} (${t.cell.label}) failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`);
    } else if (state === 'active') {
      if (store.trial(t.id)?.status === 'queued') store.markRunning(t.id, null, hosts.get(t.id) ?? null);
    } else if (store.trial(t.id)?.status === 'running') {
      store.release(t.id);
    }
  };

  let stopped = false;
  o.log(`${dir}: ${store.countDone()} of ${total} trials done; the rest go to ${o.url.redacted} (run randwire worker there)`);
  for (;;) {
    const open = trials.filter((t) => { const s = store.trial(t.id)?.status; return s !== 'done' && s !== 'failed'; });
    if (!open.length) break;
    for (const t of open) await collect(t, await queue.getJob(t.id));
    store.setMeta('coordinator', JSON.stringify({ pid: process.pid, host: hostname(), heartbeat: new Date().toISOString() }));
    await Promise.race([sleep(RECONCILE_MS), new Promise<void>((r) => (wake = r))]);
    if (o.shouldStop?.()) {
      stopped = true;
      o.log('the coordinator stops; the workers go on, and running it again collects what they finished');
      break;
    }
  }
  releaseCoordination(store);
  await events.close().catch(() => {});
  await queue.close().catch(() => {});
  connection.disconnect();
  return { trained, failed: [...failed], stopped };
}
