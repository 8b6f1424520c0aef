import { DelayedError, Worker, UnrecoverableError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isRandwireError } from '../core/errors.js';
import { DATA_SOURCES, dataFolder } from '../data/sources.js';
import { isGeneratorName } from '../graph/generators.js';
import { validateTrainConfig, type TrainConfig } from '../experiment/config.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { trialId } from '../sweep/plan.js';
import { dataFingerprint } from '../data/fingerprint.js';
import { startTrialProcess, trialEnv } from '../sweep/trial-process.js';
import { trialFolderHolder } from '../sweep/trial-lock.js';
import type { ChildProcess } from 'node:child_process';
import { connectChecked, type QueueUrl } from './connection.js';
import { putWeights } from './weights.js';
import { QUEUE_NAME, lockMs, trialJobSchema, trialOfJobId, type TrialProgress, type TrialResult } from './messages.js';

export interface WorkerOptions {
  url: QueueUrl;
  concurrency: number;
  /** The folder of the sweeps' IDX data set when it is not a named one (mnist, fashion-mnist). */
  data?: string;
  /** Trial run folders; shared between workers, a stalled trial resumes from its checkpoint. */
  work: string;
  log: (line: string) => void;
}

/** The checked config of a job: only a valid training config whose hash is the job's id is ever trained. */
function checkedConfig(job: Job): { config: TrainConfig; data: string; dataSha256: string | undefined; weights: boolean } {
  const payload = trialJobSchema.safeParse(job.data);
  if (!payload.success) throw new UnrecoverableError(`the job is not a randwire trial (${payload.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`).join('; ')})`);
  let config: TrainConfig;
  try {
    config = validateTrainConfig(payload.data.config);
  } catch (e) {
    if (isRandwireError(e)) throw new UnrecoverableError(e.message);
    throw e;
  }
  if (config.model.model === 'randwire' && !isGeneratorName(config.model.generator)) throw new UnrecoverableError(`unknown generator '${config.model.generator}'`);
  if (trialOfJobId(job.id) !== trialId(config)) throw new UnrecoverableError(`the trial's config does not hash to its job id ${job.id}; refused`);
  return { config, data: payload.data.data, dataSha256: payload.data.dataSha256, weights: payload.data.weights === true };
}

/**
 * This machine's copy of the sweep's data set: a named one found here, or the worker's own
 * --data folder with the same content (never a path taken from the queue). A worker without it
 * fails the job, which another worker may then take.
 */
function localData(data: string, sha: string | undefined, own: string | undefined): string | undefined {
  if (Object.hasOwn(DATA_SOURCES, data)) return dataFolder(data);
  if (own === undefined) throw new Error(`this sweep trains on the folder ${data}; start the worker (${hostname()}) with --data DIR holding the same IDX files`);
  if (sha !== undefined && dataFingerprint(own) !== sha) throw new Error(`--data ${own} on ${hostname()} holds other files than the sweep's ${data} (SHA-256 differs)`);
  return own;
}

/**
 * Take trials from the queue and train each in a child process (so the job's lock keeps
 * renewing and a crash takes only the trial down), reporting epochs as job progress.
 */
export interface StopSignals {
  /** First Ctrl-C or SIGTERM: finish the current trials, take no more. */
  finish: Promise<void>;
  /** Second: stop the trials at a checkpoint and leave; their jobs stall and go to another worker. */
  now: Promise<void>;
}

export async function runWorker(o: WorkerOptions, stop: StopSignals): Promise<'finished' | 'handed back'> {
  const connection = await connectChecked(o.url, o.log, 'worker');
  const host = hostname();
  const env = trialEnv(o.concurrency);
  const children = new Set<ChildProcess>();
  let handingBack = false;
  const processor = async (job: Job, token?: string): Promise<TrialResult> => {
    const { config, data, dataSha256, weights } = checkedConfig(job);
    const trial = trialOfJobId(job.id)!;
    const trialDir = join(o.work, SWEEP_FILES.trials, trial);
    // Its job was lost (Redis restarted without persistence) and enqueued again while the process
    // that had it still trains: wait for that one, without spending an attempt.
    const holder = trialFolderHolder(trialDir);
    if (holder && token) {
      o.log(`${job.id}: its folder is being trained by process ${holder.pid} on ${holder.host}; taken again in ${lockMs() / 1000} s`);
      await job.moveToDelayed(Date.now() + lockMs(), token);
      throw new DelayedError();
    }
    const local = { ...config, data: localData(data, dataSha256, o.data) };
    o.log(`${job.id}: training (attempt ${job.attemptsMade + 1})`);
    const { child, outcome } = startTrialProcess(trialDir, local, env, (m) => {
      const progress: TrialProgress = { host, pid: process.pid, ...(m.type === 'epoch' ? { epoch: m.metrics } : {}) };
      void job.updateProgress(progress).catch(() => {});
    }, true);
    const startedAt = Date.now();
    children.add(child);
    const r = await outcome;
    children.delete(child);
    // Handed back: never settle, so the job is not failed; its lock lapses and another worker takes it.
    if (handingBack) await new Promise<never>(() => {});
    if (r.kind !== 'done') throw new Error(r.kind === 'stopped' ? 'the worker was stopped' : r.error);
    const s = r.summary;
    const accuracy = `${(s.testAccuracy * 100).toFixed(2)} %`;
    // A run finished before this attempt (its result was lost from Redis) is only collected.
    o.log(Date.parse(s.finishedAt) < startedAt ? `${job.id}: collected (finished earlier; test accuracy ${accuracy})` : `${job.id}: test accuracy ${accuracy} in ${s.seconds.toFixed(0)} s`);
    return {
      host,
      summary: { testAccuracy: s.testAccuracy, testLoss: s.testLoss, validationAccuracy: s.validationAccuracy, validationLoss: s.validationLoss, epochs: s.epochs, seconds: s.seconds, trainImagesPerSec: s.trainImagesPerSec },
      history: r.history,
      ...(weights ? { weights: await putWeights(connection, job.id!, trialDir) } : {}),
    };
  };
  const worker = new Worker<unknown, TrialResult>(QUEUE_NAME, processor, {
    connection, concurrency: o.concurrency, lockDuration: lockMs(), stalledInterval: lockMs(), maxStalledCount: 3, name: `${host}:${process.pid}`,
  });
  worker.on('error', () => {}); // the connection's own handler says it in one line
  worker.on('failed', (job, e) => o.log(`${job?.id ?? '?'}: failed: ${e.message}`));
  o.log(`worker ${host}:${process.pid} takes trials from ${o.url.redacted} (${o.concurrency} at a time; work folder ${o.work})`);
  await stop.finish;
  o.log('finishing the current trial(s), then stopping (Ctrl-C again to hand them back now)');
  const how = await Promise.race([worker.close().then(() => 'finished' as const), stop.now.then(() => 'handed back' as const)]);
  if (how === 'handed back') {
    handingBack = true;
    const closing = [...children].map((c) => new Promise((r) => c.once('close', r)));
    for (const c of children) c.kill('SIGINT');
    await Promise.all(closing);
    o.log('the current trial(s) stopped at a checkpoint; another worker continues them once their lock lapses');
  }
  connection.disconnect();
  return how;
}
