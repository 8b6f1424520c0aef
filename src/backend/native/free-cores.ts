import { cpus, type CpuInfo } from 'node:os';

/** Busy and total CPU time of every core, from os.cpus() (milliseconds). */
export interface CpuTimes {
  busy: number;
  total: number;
  cores: number;
}

export function cpuTimes(info: CpuInfo[] = cpus()): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times: t } of info) {
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total, cores: info.length };
}

/**
 * How many cores' worth of other processes' work ran between two samples (0 when no time
 * passed): the busy time less `ownMs`, this process's own (its helper threads may run while it
 * waits).
 */
export function busyCores(before: CpuTimes, after: CpuTimes, ownMs = 0): number {
  const total = after.total - before.total;
  return total > 0 ? (Math.max(0, after.busy - before.busy - ownMs) / total) * after.cores : 0;
}

/**
 * Threads for a process that is about to compute and has been idle while sampling: the cores the
 * others leave free, at least one, at most `most`. A thread that shares its core with another
 * process makes every kernel wait for it at the end (docs/performance.md: inference 5 times
 * slower on two threads than on one with one busy process on a 2-core machine).
 */
export function threadsForFreeCores(most: number, cores: number, busy: number): number {
  // No cores listed (os.cpus() is empty where /proc is hidden): nothing known, keep them all.
  if (cores < 1) return most;
  return Math.max(1, Math.min(most, Math.round(cores - busy)));
}

/** Samples the cores for `ms` while this process waits; returns how many others keep busy. */
export async function measureBusyCores(ms: number): Promise<number> {
  const before = cpuTimes();
  const own = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(own);
  return busyCores(before, cpuTimes(), (used.user + used.system) / 1000);
}
