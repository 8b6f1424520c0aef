import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { RandwireError } from '../core/errors.js';
import { readJsonLines } from '../io/json.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { RUN_FILES, readSummary } from '../experiment/run-files.js';
import type { EpochMetrics } from '../train/state.js';
import type { PlannedTrial } from './plan.js';
import { commandLine, processAlive, sleep } from './processes.js';
import type { SweepStore, TrialRow } from './store.js';
import type { TrialMessage } from './trial-child.js';

export interface LocalRunOptions {
  workers: number;
  /** New attempts per trial in this run after a failure. */
  retries: number;
  log: (line: string) => void;
  shouldStop?: () => boolean;
}

export interface LocalRunResult {
  trained: number;
  failed: string[];
  stopped: boolean;
}

const BIN = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));
const HEARTBEAT_MS = 5000;
/** A coordinator silent this long is dead even if its pid was reused. */
export const STALE_AFTER_MS = 60_000;
export const TRIAL_COMMAND = ['sweep', 'trial'] as const;

interface Coordinator { pid: number; host: string; heartbeat: string }

/** Refuse a second coordinator on a live sweep; take over one whose coordinator died. */
function takeCoordination(store: SweepStore, dir: string): void {
  const raw = store.getMeta('coordinator');
  if (raw) {
    const c = JSON.parse(raw) as Coordinator;
    const fresh = Date.now() - Date.parse(c.heartbeat) < STALE_AFTER_MS;
    const alive = c.host === hostname() ? processAlive(c.pid) && c.pid !== process.pid : fresh;
    if (alive && fresh) throw new RandwireError('sweep', `${dir} is being run by process ${c.pid} on ${c.host}; wait for it, or stop it first`);
  }
  store.setMeta('coordinator', JSON.stringify({ pid: process.pid, host: hostname(), heartbeat: new Date().toISOString() }));
}

/** Trials left `running` by a dead coordinator go back to the queue; a trial process still dying is ended first. */
async function requeueOrphans(store: SweepStore, log: (l: string) => void): Promise<void> {
  for (const t of store.trials().filter((r) => r.status === 'running')) {
    const pid = t.worker_pid;
    if (pid !== null && t.worker_host === hostname() && processAlive(pid) && commandLine(pid).includes(TRIAL_COMMAND.join(' '))) {
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 50 && processAlive(pid); i++) await sleep(100);
    }
    store.release(t.id);
    log(`${t.id} (${t.cell}) was left running by a process that stopped; it resumes from its last checkpoint`);
  }
}

const fmtTime = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

/**
 * Train the plan's unfinished trials in child processes, `workers` at a time, in the plan's
 * balanced order. The store is written here only. Finished trials are never trained again.
 */
export async function runLocal(store: SweepStore, trials: PlannedTrial[], dir: string, o: LocalRunOptions): Promise<LocalRunResult> {
  takeCoordination(store, dir);
  await requeueOrphans(store, o.log);
  const requeued = store.requeueFailed();
  if (requeued) o.log(`${requeued} failed trial(s) get ${o.retries + 1} new attempt(s)`);
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
  const beat = setInterval(() => {
    store.setMeta('coordinator', JSON.stringify({ pid: process.pid, host: hostname(), heartbeat: new Date().toISOString() }));
    for (const id of running.keys()) store.heartbeat(id);
  }, HEARTBEAT_MS);
  const poll = setInterval(() => {
    if (!stopped && o.shouldStop?.()) {
      stopped = true;
      for (const c of running.values()) c.kill('SIGINT');
    }
  }, 200);
  const workers = Math.max(1, Math.min(o.workers, queue.length));
  // Each trial's share of the cores; more threads than cores makes OpenMP threads spin against each other.
  const env = { ...process.env, RANDWIRE_THREADS: process.env.RANDWIRE_THREADS ?? String(Math.max(1, Math.floor(cpus().length / workers))) };
  o.log(`${dir}: ${done} of ${total} trials done, ${queue.length} to train with ${workers} worker(s)`);

  const runTrial = (t: PlannedTrial): Promise<void> =>
    new Promise((resolve) => {
      const trialDir = join(dir, SWEEP_FILES.trials, t.id);
      const child = spawn(process.execPath, [BIN, ...TRIAL_COMMAND, trialDir], { stdio: ['pipe', 'pipe', 'pipe'], env });
      store.claim(t.id, child.pid ?? 0);
      running.set(t.id, child);
      child.stdin!.on('error', () => {});
      child.stdin!.write(JSON.stringify(t.config) + '\n');
      let lastError = '';
      createInterface({ input: child.stderr! }).on('line', (l) => {
        if (l.trim()) lastError = l.replace(/^randwire: /, '');
      });
      createInterface({ input: child.stdout! }).on('line', (l) => {
        let m: TrialMessage;
        try {
          m = JSON.parse(l) as TrialMessage;
        } catch {
          return;
        }
        if (m.type === 'epoch') store.putEpoch(t.id, m.metrics);
        store.heartbeat(t.id);
      });
      child.on('close', (code, signal) => {
        running.delete(t.id);
        const summary = code === 0 ? readSummary(trialDir) : undefined;
        if (summary) {
          store.finish(t.id, summary, readJsonLines<EpochMetrics>(join(trialDir, RUN_FILES.metrics), 'metrics'));
          trained++;
          done++;
          const rate = trained / ((Date.now() - started) / 1000);
          o.log(`[${done}/${total}] ${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed}: test accuracy ${(summary.testAccuracy * 100).toFixed(2)} % in ${summary.seconds.toFixed(0)} s | ${running.size} running, ETA ${fmtTime((total - done) / rate)}`);
        } else if (code === 130 || stopped) {
          store.release(t.id);
        } else {
          const error = signal ? `the trial process was killed by ${signal}` : lastError || `the trial process exited with code ${code}`;
          const n = (attempts.get(t.id) ?? 0) + 1;
          attempts.set(t.id, n);
          const retry = n <= o.retries;
          store.fail(t.id, error, retry);
          o.log(`${t.id} (${t.cell.label}) failed: ${error}${retry ? '; trying again from its checkpoint' : ''}`);
          if (retry) queue.push(t);
          else failed.push(t.id);
        }
        resolve();
      });
    });

  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let t = queue.shift(); t !== undefined && !stopped; t = queue.shift()) await runTrial(t);
    }),
  );
  clearInterval(beat);
  clearInterval(poll);
  store.setMeta('coordinator', JSON.stringify({ pid: process.pid, host: hostname(), heartbeat: new Date(0).toISOString() }));
  return { trained, failed, stopped };
}

/** Trials of the store whose status is not final, for messages. */
export const unfinished = (rows: TrialRow[]): number => rows.filter((r) => r.status !== 'done').length;
