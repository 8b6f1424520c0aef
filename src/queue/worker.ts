import { DelayedError, Worker, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isRandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { DATA_SOURCES, dataFolder } from '../data/sources.js';
import type { TrainConfig } from '../experiment/config.js';
import { checkTrialConfig } from '../sweep/trial-check.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { trialId } from '../sweep/plan.js';
import { dataFingerprint } from '../data/fingerprint.js';
import { startTrialProcess, startTrialToRung, stopTrialProcess, trialEnv, STOP_GRACE_MS } from '../sweep/trial-process.js';
import type { TrialMessage } from '../sweep/trial-child.js';
import { checkStopAfterEpoch } from '../experiment/pause.js';
import { TIMED_OUT, within } from '../sweep/processes.js';
import { trialFolderHolder } from '../sweep/trial-lock.js';
import type { ChildProcess } from 'node:child_process';
import { REDIS_WAIT_MS, connectChecked, type QueueUrl } from './connection.js';
import { putWeights } from './weights.js';
import { checkpointSlot, putCheckpoint } from './checkpoints.js';
import { restoreCheckpoint } from './restore.js';
import { QUEUE_NAME, lockMs, trialJobSchema, trialOfJobId, type CheckpointNote, type PausedResult, type TrialProgress, type TrialResult } from './messages.js';

export interface WorkerOptions {
  url: QueueUrl;
  concurrency: number;
  /** The folder of the sweeps' IDX data set when it is not a named one (mnist, fashion-mnist). */
  data?: string;
  /** Trial run folders; shared between workers, a stalled trial resumes from its checkpoint. */
  work: string;
  log: (line: string) => void;
}

/**
 * The checked config of a job: only a trial that passes a local sweep's checks (checkTrialConfig)
 * and hashes to the job's id is ever trained. Anything else fails at once for good, in one line.
 */
function checkedConfig(job: Job): {
  config: TrainConfig;
  data: string;
  dataSha256: string | undefined;
  weights: boolean;
  stopAfterEpoch: number | undefined;
  checkpoint: CheckpointNote | undefined;
} {
  const payload = trialJobSchema.safeParse(job.data);
  if (!payload.success)
    throw new UnrecoverableError(
      `the job is not a randwire trial (${payload.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`).join('; ')})`,
    );
  let config: TrainConfig;
  try {
    config = checkTrialConfig(payload.data.config);
    checkStopAfterEpoch(payload.data.stopAfterEpoch, config.epochs);
  } catch (e) {
    if (isRandwireError(e)) throw new UnrecoverableError(e.message);
    throw e;
  }
  if (trialOfJobId(job.id) !== trialId(config)) throw new UnrecoverableError(`the trial's config does not hash to its job id ${job.id}; refused`);
  return {
    config,
    data: payload.data.data,
    dataSha256: payload.data.dataSha256,
    weights: payload.data.weights === true,
    stopAfterEpoch: payload.data.stopAfterEpoch,
    checkpoint: payload.data.checkpoint,
  };
}

/**
 * This machine's copy of the sweep's data set: a named one found here, or the worker's own
 * --data folder with the same content (never a path taken from the queue). A worker without it
 * fails the job, which another worker may then take.
 */
function localData(data: string, sha: string | undefined, own: string | undefined): string | undefined {
  if (Object.hasOwn(DATA_SOURCES, data)) return dataFolder(data);
  if (own === undefined)
    throw new Error(`this sweep trains on the folder ${data}; start the worker (${hostname()}) with --data DIR holding the same IDX files`);
  if (sha !== undefined && dataFingerprint(own) !== sha)
    throw new Error(`--data ${own} on ${hostname()} holds other files than the sweep's ${data} (SHA-256 differs)`);
  return own;
}

/** What stops a worker (cli/worker.ts makes them from SIGINT and SIGTERM). */
export interface StopSignals {
  /** First Ctrl-C or SIGTERM: stop the current trials at a checkpoint, hand their jobs back, take no more. */
  stop: Promise<void>;
  /** Second: kill the trials at once (they resume from their last epoch checkpoint). */
  kill: Promise<void>;
}

/**
 * Take trials from the queue and train each in a child process (so the job's lock keeps
 * renewing and a crash takes only the trial down), reporting epochs as job progress. A trial that
 * fails fails its job with the trial's one-line error (BullMQ tries it again up to its attempts);
 * the worker goes on with the next job.
 */
export async function runWorker(o: WorkerOptions, signals: StopSignals): Promise<'finished' | 'handed back'> {
  const connection = await connectChecked(o.url, o.log, 'worker');
  const host = hostname();
  const env = trialEnv(o.concurrency);
  const children = new Set<ChildProcess>();
  let stopping = false;
  let handedBack = 0;
  /** Back to the queue's waiting list without using an attempt; if Redis does not answer, the job's lock lapses and it stalls back. */
  const handBack = async (job: Job, token: string | undefined): Promise<never> => {
    handedBack++;
    await within(
      job.moveToWait(token).catch(() => {}),
      REDIS_WAIT_MS,
    );
    throw new WaitingError();
  };
  const processor = async (job: Job, token?: string): Promise<TrialResult | PausedResult> => {
    const { config, data, dataSha256, weights, stopAfterEpoch, checkpoint } = checkedConfig(job);
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
    if (stopping) return handBack(job, token);
    if (checkpoint) await restoreCheckpoint(connection, job.id!, trialDir, local, checkpoint, o.log);
    o.log(`${job.id}: training (attempt ${job.attemptsMade + 1})`);
    const onMessage = (m: TrialMessage): void => {
      const progress: TrialProgress = { host, pid: process.pid, ...(m.type === 'epoch' ? { epoch: m.metrics } : {}) };
      void job.updateProgress(progress).catch(() => {});
    };
    const { child, outcome } =
      stopAfterEpoch === undefined
        ? startTrialProcess(trialDir, local, env, onMessage, true)
        : startTrialToRung(trialDir, local, stopAfterEpoch, env, onMessage, true);
    const startedAt = Date.now();
    children.add(child);
    const r = await outcome;
    children.delete(child);
    if (r.kind === 'paused') {
      o.log(
        `${job.id}: paused after epoch ${r.epoch} (validation accuracy ${r.validationAccuracy === null ? '-' : `${(r.validationAccuracy * 100).toFixed(2)} %`})`,
      );
      const sent = await putCheckpoint(connection, checkpointSlot(job.id!, 'out'), trialDir);
      if (typeof sent === 'string') o.log(`${job.id}: its checkpoint stays here: ${sent}`);
      return { host, paused: { epoch: r.epoch, validationAccuracy: r.validationAccuracy }, history: r.history, checkpoint: sent };
    }
    if (r.kind !== 'done' && stopping) return handBack(job, token);
    if (r.kind !== 'done') throw new Error(r.kind === 'stopped' ? 'the trial process stopped unasked' : r.error);
    const s = r.summary;
    const accuracy = `${(s.testAccuracy * 100).toFixed(2)} %`;
    // A run finished before this attempt (its result was lost from Redis) is only collected.
    o.log(
      Date.parse(s.finishedAt) < startedAt
        ? `${job.id}: collected (finished earlier; test accuracy ${accuracy})`
        : `${job.id}: test accuracy ${accuracy} in ${s.seconds.toFixed(0)} s`,
    );
    return {
      host,
      summary: {
        testAccuracy: s.testAccuracy,
        testLoss: s.testLoss,
        validationAccuracy: s.validationAccuracy,
        validationLoss: s.validationLoss,
        epochs: s.epochs,
        seconds: s.seconds,
        trainImagesPerSec: s.trainImagesPerSec,
      },
      history: r.history,
      ...(weights ? { weights: await putWeights(connection, job.id!, trialDir) } : {}),
    };
  };
  const worker = new Worker<unknown, TrialResult | PausedResult>(QUEUE_NAME, processor, {
    connection,
    concurrency: o.concurrency,
    lockDuration: lockMs(),
    stalledInterval: lockMs(),
    maxStalledCount: 3,
    name: `${host}:${process.pid}`,
  });
  worker.on('error', () => {}); // the connection's own handler says it in one line
  worker.on('failed', (job, e) => o.log(`${job?.id ?? '?'}: failed: ${e.message}`));
  o.log(`worker ${host}:${process.pid} takes trials from ${o.url.redacted} (${o.concurrency} at a time; work folder ${o.work})`);
  await signals.stop;
  stopping = true;
  const running = children.size;
  o.log(running ? `stopping: ${plural(running, 'trial')} stop at a checkpoint and go back to the queue (Ctrl-C again to kill them now)` : 'stopping');
  for (const c of children) stopTrialProcess(c);
  void signals.kill.then(() => {
    for (const c of children) c.kill('SIGKILL');
  });
  // Every trial ends within STOP_GRACE_MS (killed after it), and Redis gets REDIS_WAIT_MS more.
  if ((await within(worker.close(), STOP_GRACE_MS + 2 * REDIS_WAIT_MS)) === TIMED_OUT)
    o.log('the queue did not answer while stopping; jobs still held go back once their locks lapse');
  connection.disconnect();
  if (handedBack) o.log(`stopped; ${plural(handedBack, 'trial')} handed back to the queue, to continue from their checkpoints`);
  return handedBack ? 'handed back' : 'finished';
}
