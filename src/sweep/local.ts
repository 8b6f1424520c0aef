import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SWEEP_FILES } from '../io/run-layout.js';
import type { PlannedTrial } from './plan.js';
import { commandLine, processAlive, sleep } from './processes.js';
import type { SweepStore, TrialRow } from './store.js';
import { keepCoordinating } from './coordination.js';
import { startTrialProcess, stopTrialProcess, trialEnv, TRIAL_COMMAND } from './trial-process.js';
import { formatDuration, plural } from '../core/format.js';
import { StorageError } from '../core/errors.js';

export interface LocalRunOptions {
  workers: number;
  /** New attempts per trial in this run after a failure. */
  retries: number;
  log: (line: string) => void;
  shouldStop?: () => boolean;
  /** Asked before each trial starts (a search's minutes budget): false leaves the rest queued. */
  mayStart?: () => boolean;
}

export interface LocalRunResult {
  trained: number;
  failed: string[];
  stopped: boolean;
}

/** Trials left `running` by a dead coordinator go back to the queue; a trial process still dying is ended first. */
export async function requeueOrphans(store: SweepStore, dir: string, ids: ReadonlySet<string>, log: (l: string) => void): Promise<void> {
  for (const t of store.trials(ids).filter((r) => r.status === 'running')) {
    const pid = t.worker_pid;
    // Only our own trial process: a reused pid belongs to something else.
    if (
      pid !== null &&
      t.worker_host === hostname() &&
      processAlive(pid) &&
      commandLine(pid).includes(`${TRIAL_COMMAND.join(' ')} ${join(dir, SWEEP_FILES.trials, t.id)}`)
    ) {
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 50 && processAlive(pid); i++) await sleep(100);
    }
    store.release(t.id);
    log(`${t.id} (${t.cell}) was left running by a process that stopped; it resumes from its last checkpoint`);
  }
}

/**
 * Train the plan's unfinished trials in child processes (the caller holds the coordination), `workers` at a time, in the plan's
 * balanced order. The store is written here only. Finished trials are never trained again.
 */
export async function runLocal(store: SweepStore, trials: PlannedTrial[], dir: string, o: LocalRunOptions): Promise<LocalRunResult> {
  // Only the given trials: the others may be trained elsewhere (a queue worker, beside --local).
  const ids = new Set(trials.map((t) => t.id));
  await requeueOrphans(store, dir, ids, o.log);
  const requeued = store.requeueFailed(ids);
  if (requeued) o.log(`${plural(requeued, 'failed trial')} ${requeued === 1 ? 'gets' : 'get'} ${plural(o.retries + 1, 'new attempt')}`);
  const rows = new Map(store.trials().map((r) => [r.id, r]));
  const queue = trials.filter((t) => rows.get(t.id)?.status === 'queued');
  const total = trials.length;
  let done = trials.length - queue.length;
  const started = Date.now();
  let trained = 0;
  const failed: string[] = [];
  const attempts = new Map<string, number>();
  const running = new Map<string, ChildProcess>();
  let stopped = false;
  // A store or trial folder that cannot be written (a full disk) stops the sweep, thrown at the end. The trials stop
  // at once, as when their coordinator dies (stdin closed): a checkpoint could not be written, and the last one stays.
  let fatal: unknown;
  const halt = (e: unknown): void => {
    if (fatal !== undefined) return;
    fatal = e;
    stopped = true;
    for (const c of running.values()) c.stdin?.end();
  };
  const stopBeating = keepCoordinating(store, halt, () => {
    for (const id of running.keys()) store.heartbeat(id);
  });
  const poll = setInterval(() => {
    if (!stopped && o.shouldStop?.()) {
      stopped = true;
      for (const c of running.values()) stopTrialProcess(c);
    }
  }, 200);
  // Leaving at once (a second Ctrl-C) takes the trials down too, even one too busy to notice its closed stdin.
  const killTrials = (): void => {
    for (const c of running.values()) c.kill('SIGKILL');
  };
  process.once('exit', killTrials);
  const workers = Math.max(1, Math.min(o.workers, queue.length));
  const env = trialEnv(workers);
  o.log(`${dir}: ${done} of ${plural(total, 'trial')} done, ${queue.length} to train with ${plural(workers, 'worker')}`);

  const runTrial = async (t: PlannedTrial): Promise<void> => {
    const { child, outcome } = startTrialProcess(join(dir, SWEEP_FILES.trials, t.id), t.config, env, (m) => {
      try {
        if (m.type === 'epoch') store.putEpoch(t.id, m.metrics);
        store.heartbeat(t.id);
      } catch (e) {
        halt(e);
      }
    });
    const claimedAt = Date.now();
    running.set(t.id, child);
    store.claim(t.id, child.pid ?? 0);
    const r = await outcome;
    running.delete(t.id);
    if (r.kind === 'done') {
      store.finish(t.id, r.summary, r.history);
      trained++;
      done++;
      const rate = trained / ((Date.now() - started) / 1000);
      // A trial that finished just before a coordinator died is only collected now, not trained again.
      const collected = Date.parse(r.summary.finishedAt) < claimedAt ? ' (finished earlier; collected)' : '';
      o.log(
        `[${done}/${total}] ${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed}: test accuracy ${(r.summary.testAccuracy * 100).toFixed(2)} % in ${r.summary.seconds.toFixed(0)} s${collected} | ${running.size} running, ETA ${formatDuration((total - done) / rate)}`,
      );
    } else if (r.kind === 'stopped' || stopped) {
      store.release(t.id);
    } else if (r.storage) {
      // The disk, not the trial: no attempt is spent, and the sweep stops until the cause is gone.
      store.release(t.id);
      halt(new StorageError('sweep', `${t.id} (${t.cell.label}) stopped: ${r.error}`));
    } else {
      const n = (attempts.get(t.id) ?? 0) + 1;
      attempts.set(t.id, n);
      const retry = n <= o.retries;
      store.fail(t.id, r.error, retry);
      o.log(`${t.id} (${t.cell.label}) failed: ${r.error}${retry ? `; trying again (attempt ${n + 1} of ${o.retries + 1})` : ''}`);
      if (retry) queue.push(t);
      else failed.push(t.id);
    }
  };

  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let t = queue.shift(); t !== undefined && !stopped; t = queue.shift()) {
        const may = o.mayStart ? runCatching(o.mayStart, halt) : true;
        if (!may) break;
        await runTrial(t).catch(halt);
      }
    }),
  );
  stopBeating();
  clearInterval(poll);
  process.off('exit', killTrials);
  if (fatal !== undefined) throw fatal;
  return { trained, failed, stopped };
}

/** `f()`, or false once its error is handed to `onError` (a store that cannot be written stops the run, thrown at its end). */
function runCatching(f: () => boolean, onError: (e: unknown) => void): boolean {
  try {
    return f();
  } catch (e) {
    onError(e);
    return false;
  }
}

/** Trials of the store whose status is not final, for messages. */
export const unfinished = (rows: TrialRow[]): number => rows.filter((r) => r.status !== 'done').length;
