import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandLine } from '../../src/sweep/processes.js';

const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Started {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  log: () => string;
  /** Resolves with the exit code when the process has ended, or rejects naming `what` after `ms` (and kills it). */
  ended: (what: string, ms: number) => Promise<number | null>;
}

/** Every process started here, killed by `killStarted` whatever a test left running. */
const started: ChildProcess[] = [];

/**
 * Spawn the real `randwire` executable (after `nodeArgs`, such as a preload), its stdout and
 * stderr gathered as they come; stdin is a pipe that stays open unless the test closes it.
 */
export function spawnCli(args: string[], o: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), bin, ...args], { env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stdin!.on('error', () => {});
  return { child, log: () => log };
}

/** Start `randwire ARGS` in the background; `ended` waits for its exit, bounded. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Started {
  const { child, log } = spawnCli(args, { env });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ended = async (what: string, ms: number): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`timed out after ${ms / 1000} s: ${what} (pid ${child.pid}); its output:\n${log().slice(-2000)}`));
      }, ms);
    });
    try {
      return await Promise.race([exit, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { child, log, ended };
}

/** kill -9 of every process started here that still runs: a test's cleanup. */
export function killStarted(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Wait until `check` holds, polling; rejects naming `what` after `ms`. */
export async function until(what: string, check: () => boolean | undefined | Promise<boolean | undefined>, ms = 120_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await check()) return;
  throw new Error(`timed out after ${ms / 1000} s waiting until ${what}`);
}

/** Pids of live processes whose command line mentions `text` (Linux /proc; elsewhere none are seen). */
export function processesMentioning(text: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => pid !== process.pid && commandLine(pid).includes(text));
}

/** Lines of worker logs that say a trial was trained to its end (a collected one says "collected"). */
export const trainedLines = (logs: string[]): string[] => logs.flatMap((l) => l.split('\n').filter((x) => /: test accuracy /.test(x)));
