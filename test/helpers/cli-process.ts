import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI_TIMEOUT_MS, commandLine } from './cli.js';

const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Start the real `randwire` executable and act on its output as it comes: `onLine` sees every
 * stderr line and may signal the process (Ctrl-C, kill -9). Resolves when the process ends; a
 * process still running after `timeoutMs` is killed and the promise rejects, naming it (a signal
 * the test sent itself is in `signal`, for the test to check).
 */
export function runCliWatching(
  args: string[],
  onLine: (line: string, child: ChildProcess) => void,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = CLI_TIMEOUT_MS,
): Promise<Exit> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let pending = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) onLine(line, child);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${commandLine(args)} could not run: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`${commandLine(args)} timed out: still running after ${timeoutMs / 1000} s and killed\n${stderr.slice(-2000)}`));
      else resolve({ code, signal, stderr });
    });
  });
}
