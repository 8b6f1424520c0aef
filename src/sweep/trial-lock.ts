import { mkdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { processAlive } from './processes.js';

const TOUCH_MS = 10_000;
/** A lock of another machine not touched for this long belongs to a process that died. */
const STALE_MS = 60_000;

/**
 * Hold a trial folder for this process: two processes (two sweeps sharing a trial, or a worker
 * that lost its queue lock and one that took the job over) must never write one checkpoint.
 * Returns the release.
 */
export function lockTrialFolder(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SWEEP_FILES.trialLock);
  const mine = JSON.stringify({ host: hostname(), pid: process.pid });
  try {
    writeFileSync(file, mine, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = trialFolderHolder(dir);
    if (holder) throw new RandwireError('sweep', `${dir} is being trained by process ${holder.pid} on ${holder.host}; not training it twice`);
    writeFileSync(file, mine);
  }
  const timer = setInterval(() => {
    const t = new Date();
    try {
      utimesSync(file, t, t);
    } catch {
      // The folder may be gone (a finished sweep deleted); nothing to keep.
    }
  }, TOUCH_MS);
  timer.unref();
  const release = (): void => {
    clearInterval(timer);
    try {
      if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', release);
  return release;
}

/** The live process that holds a trial folder's lock, if any (a lock of a dead process does not count). */
export function trialFolderHolder(dir: string): { host: string; pid: number } | undefined {
  const file = join(dir, SWEEP_FILES.trialLock);
  let holder: { host: string; pid: number };
  try {
    holder = JSON.parse(readFileSync(file, 'utf8')) as { host: string; pid: number };
  } catch {
    return undefined;
  }
  try {
    const alive = holder.host === hostname() ? processAlive(holder.pid) && holder.pid !== process.pid : Date.now() - statSync(file).mtimeMs < STALE_MS;
    return alive ? holder : undefined;
  } catch {
    return undefined;
  }
}
