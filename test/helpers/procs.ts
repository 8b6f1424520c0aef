import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Proc { child: ChildProcess; log: () => string; exit: Promise<number | null> }

/** Start `randwire ARGS` in the background, its stdout and stderr gathered; `started` collects it for the test's cleanup. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, started: ChildProcess[]): Proc {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  return { child, log: () => log, exit: new Promise((r) => child.on('close', (code) => r(code))) };
}

/** Wait until `check` holds; the error names what was awaited. */
export async function until(what: string, check: () => boolean | undefined, ms = 180_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (check()) return;
  throw new Error(`timed out after ${ms / 1000} s waiting until ${what}`);
}

/** Lines of worker logs that say a trial was trained to its end (a collected one says "collected"). */
export const trainedLines = (logs: string[]): string[] => logs.flatMap((l) => l.split('\n').filter((x) => /: test accuracy /.test(x)));

/** The exit code of a process that must end by itself; the error names it and shows its log. */
export async function exitOf(p: Proc, what: string, ms = 240_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what} to end; its log:\n${p.log()}`)), ms)));
  try {
    return await Promise.race([p.exit, late]);
  } finally {
    clearTimeout(timer);
  }
}
