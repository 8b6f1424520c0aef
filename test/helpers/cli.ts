import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));

/**
 * How long a command may run before the test fails. About ten times the slowest command's time on
 * a quiet machine: the test machine is shared, and a command three times slower under load is
 * not a failure, while one that hangs must still end the test with a message naming it.
 */
export const CLI_TIMEOUT_MS = 900_000;

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** `randwire a b c`, shortened, for messages. */
export function commandLine(args: readonly string[]): string {
  const line = ['randwire', ...args].join(' ');
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

/**
 * Throws when a child did not end by itself: killed at the helper's timeout or by a signal. A
 * child killed at a timeout may still exit 0 (its output pipes closed under it), so its status
 * alone cannot say that it finished.
 */
export function assertEndedByItself(args: readonly string[], r: { timedOut: boolean; signal: NodeJS.Signals | null; timeoutMs: number; stderr: string }): void {
  const tail = r.stderr.slice(-2000);
  if (r.timedOut) throw new Error(`${commandLine(args)} timed out: still running after ${r.timeoutMs / 1000} s and killed\n${tail}`);
  if (r.signal) throw new Error(`${commandLine(args)} was killed by ${r.signal}\n${tail}`);
}

/** Run the real `randwire` executable, as a user would. A timeout or a signal is a failure. */
export function runCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, ...opts.env },
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw new Error(`${commandLine(args)} could not run: ${r.error.message}`);
  assertEndedByItself(args, {
    timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
    signal: r.signal,
    timeoutMs,
    stderr: r.stderr ?? '',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** runCli without blocking: several commands run at once (the cores share the work of starting Node). */
export function runCliAsync(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          try {
            assertEndedByItself(args, { timedOut: error.killed === true, signal: error.signal ?? null, timeoutMs, stderr });
          } catch (e) {
            reject(e as Error);
            return;
          }
          reject(new Error(`${commandLine(args)} could not run: ${error.message}`));
          return;
        }
        resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
