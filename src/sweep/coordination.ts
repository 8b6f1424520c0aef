import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { RandwireError } from '../core/errors.js';
import { processAlive } from './processes.js';
import type { SweepStore } from './store.js';

const HEARTBEAT_MS = 5000;
/** A coordinator silent this long is dead even if its pid was reused. */
export const STALE_AFTER_MS = 60_000;

interface Coordinator {
  pid: number;
  host: string;
  heartbeat: string;
}

const me = (heartbeat: Date): string => JSON.stringify({ pid: process.pid, host: hostname(), heartbeat: heartbeat.toISOString() });

/**
 * Become the sweep's one coordinator (its only writer), in one immediate transaction so that two
 * runs started together cannot both pass: refuse while another lives, take over a dead one's.
 */
export function takeCoordination(store: SweepStore, dir: string): void {
  store.guarded(() =>
    store.db
      .transaction(() => {
        const raw = store.getMeta('coordinator');
        if (raw) {
          const c = JSON.parse(raw) as Coordinator;
          const fresh = Date.now() - Date.parse(c.heartbeat) < STALE_AFTER_MS;
          const alive = c.host === hostname() ? processAlive(c.pid) && c.pid !== process.pid : true;
          if (alive && fresh) throw new RandwireError('sweep', `${dir} is being run by process ${c.pid} on ${c.host}; wait for it, or stop it first`);
        }
        store.setMeta('coordinator', me(new Date()));
      })
      .immediate(),
  );
}

/**
 * Keep the coordination alive every few seconds, whatever the coordinator is waiting on; returns
 * the stop. A failed write (a full disk) stops the beats and goes to `onError`: thrown from a
 * timer it would end the process with no chance to stop the trials and say why.
 */
export function keepCoordinating(store: SweepStore, onError: (e: unknown) => void, alsoEvery?: () => void): () => void {
  const timer = setInterval(() => {
    try {
      store.setMeta('coordinator', me(new Date()));
      alsoEvery?.();
    } catch (e) {
      clearInterval(timer);
      onError(e);
    }
  }, HEARTBEAT_MS);
  return () => clearInterval(timer);
}

/** Say that no coordinator works on the sweep any more (a heartbeat at the epoch). */
export function releaseCoordination(store: SweepStore): void {
  store.setMeta('coordinator', me(new Date(0)));
}

/** The sweep's own id, made once: it keeps two sweeps that share trials apart on a shared queue. */
export function sweepId(store: SweepStore): string {
  let id = store.getMeta('sweepId');
  if (!id) store.setMeta('sweepId', (id = `s${randomBytes(6).toString('hex')}`));
  return id;
}
