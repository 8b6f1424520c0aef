import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { readJsonLines } from '../io/json.js';
import { RUN_FILES, readSummary, type RunSummary } from '../experiment/run-files.js';
import type { TrainConfig } from '../experiment/config.js';
import type { EpochMetrics } from '../train/state.js';
import type { TrialMessage } from './trial-child.js';
import { STORAGE_EXIT_CODE } from '../core/errors.js';

const BIN = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));
export const TRIAL_COMMAND = ['sweep', 'trial'] as const;
/** The flag of `sweep trial` that makes the trial pause at a rung (after the trial folder argument). */
export const STOP_AFTER_EPOCH_FLAG = '--stop-after-epoch';

/**
 * The environment of trial processes when `processes` run at once: one thread each when they
 * fill the cores (more makes OpenMP threads of two processes spin against each other), else the
 * thread governor's choice for a lone process. RANDWIRE_THREADS set by the user wins.
 */
export function trialEnv(processes: number): NodeJS.ProcessEnv {
  // A trial needs no queue: its URL (and password) stays out of the trial's environment.
  const env = { ...process.env };
  delete env.RANDWIRE_REDIS_URL;
  if (env.RANDWIRE_THREADS !== undefined || processes === 1) return env;
  return { ...env, RANDWIRE_THREADS: String(Math.max(1, Math.floor(cpus().length / processes))) };
}

/**
 * How long a trial asked to stop (SIGINT: it saves a checkpoint after its current batch) may take
 * before it is killed; it then resumes from its last epoch checkpoint. A batch of the largest
 * models takes seconds, so only a trial that no longer answers waits this long.
 */
export const STOP_GRACE_MS = 30_000;

/** Ask a trial process to stop at a checkpoint, and kill it if it has not ended within STOP_GRACE_MS. */
export function stopTrialProcess(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  kill.unref();
  child.once('exit', () => clearTimeout(kill));
}

export type TrialOutcome =
  { kind: 'done'; summary: RunSummary; history: EpochMetrics[] } | { kind: 'stopped' } | { kind: 'failed'; error: string; storage?: boolean };

/** A trial asked to stop at a rung: paused after `epoch`, with that epoch's validation accuracy (never test). */
export type PausedTrial = { kind: 'paused'; epoch: number; validationAccuracy: number | null; history: EpochMetrics[] };
export type RungOutcome = TrialOutcome | PausedTrial;

/** What a trial folder shows after its process exited 0 without summary.json: paused at `epoch` if its metrics reach it. */
function pausedOutcome(trialDir: string, epoch: number): RungOutcome {
  const history = readJsonLines<EpochMetrics>(join(trialDir, RUN_FILES.metrics), 'metrics');
  const last = history[history.length - 1];
  if (history.length !== epoch || last?.epoch !== epoch) {
    return { kind: 'failed', error: `the trial process was to pause after epoch ${epoch} but its ${RUN_FILES.metrics} ends at epoch ${last?.epoch ?? 0}` };
  }
  return { kind: 'paused', epoch, validationAccuracy: last.valAccuracy, history };
}

/**
 * Train one trial in a child process (`randwire sweep trial DIR`): its own wasm heap and threads,
 * so a crash or kill takes only the trial down. The config goes in on stdin, which stays open:
 * when this process dies, the trial process sees it and stops.
 */
export function startTrialProcess(
  trialDir: string,
  config: TrainConfig,
  env: NodeJS.ProcessEnv,
  onMessage: (m: TrialMessage) => void,
  detached = false,
): { child: ChildProcess; outcome: Promise<TrialOutcome> } {
  // Without a stop epoch a trial never pauses: the outcome is one of TrialOutcome's.
  return spawnTrial(trialDir, config, env, onMessage, detached, undefined) as { child: ChildProcess; outcome: Promise<TrialOutcome> };
}

/**
 * startTrialProcess for a trial that pauses after epoch `stopAfterEpoch` of its schedule (a rung)
 * unless that is its last: it then reports `paused` with the epoch's metrics, and a later call
 * with a larger stop epoch (or startTrialProcess) continues it from its checkpoint.
 */
export function startTrialToRung(
  trialDir: string,
  config: TrainConfig,
  stopAfterEpoch: number,
  env: NodeJS.ProcessEnv,
  onMessage: (m: TrialMessage) => void,
  detached = false,
): { child: ChildProcess; outcome: Promise<RungOutcome> } {
  return spawnTrial(trialDir, config, env, onMessage, detached, stopAfterEpoch);
}

function spawnTrial(
  trialDir: string,
  config: TrainConfig,
  env: NodeJS.ProcessEnv,
  onMessage: (m: TrialMessage) => void,
  detached: boolean,
  stopAfterEpoch: number | undefined,
): { child: ChildProcess; outcome: Promise<RungOutcome> } {
  const rung = stopAfterEpoch === undefined ? [] : [STOP_AFTER_EPOCH_FLAG, String(stopAfterEpoch)];
  // detached: a terminal's Ctrl-C meant for a queue worker must not reach its trials.
  const child = spawn(process.execPath, [BIN, ...TRIAL_COMMAND, trialDir, ...rung], { stdio: ['pipe', 'pipe', 'pipe'], env, detached });
  child.stdin!.on('error', () => {});
  child.stdin!.write(JSON.stringify(config) + '\n');
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
    onMessage(m);
  });
  const outcome = new Promise<RungOutcome>((resolve) => {
    child.on('error', (e) => resolve({ kind: 'failed', error: `could not start the trial process: ${e.message}` }));
    child.on('close', (code, signal) => {
      try {
        const summary = code === 0 ? readSummary(trialDir) : undefined;
        if (summary) resolve({ kind: 'done', summary, history: readJsonLines<EpochMetrics>(join(trialDir, RUN_FILES.metrics), 'metrics') });
        else if (code === 0 && stopAfterEpoch !== undefined) resolve(pausedOutcome(trialDir, stopAfterEpoch));
        else if (code === 130) resolve({ kind: 'stopped' });
        // The disk refused (full, read-only): not the trial's fault.
        else if (code === STORAGE_EXIT_CODE) resolve({ kind: 'failed', error: lastError, storage: true });
        else
          resolve({ kind: 'failed', error: signal ? `the trial process was killed by ${signal}` : lastError || `the trial process exited with code ${code}` });
      } catch (e) {
        resolve({ kind: 'failed', error: `the trial finished but its run folder cannot be read: ${(e as Error).message}` });
      }
    });
  });
  return { child, outcome };
}
