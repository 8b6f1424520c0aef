import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_TIMEOUT_MS, type CliResult } from './cli.js';
import { spawnCli } from './bounded-cli.js';
import { tempFolder } from './folder.js';

const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));
const preload = pathToFileURL(fileURLToPath(new URL('./peak-rss-preload.mjs', import.meta.url))).href;

export interface MeasuredCli extends CliResult {
  /** The process's peak resident set in MiB (getrusage's maxRSS, written by the process itself at exit). */
  peakRssMiB: number;
}

/**
 * Run the real `randwire` executable and measure its peak memory: the process reports its own
 * maxRSS when it exits (a preloaded module), which needs no /usr/bin/time and no sampling race.
 * A process that dies without exiting normally (a signal, V8 aborting) has no figure: an error.
 */
export function runCliMeasured(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {}): MeasuredCli {
  const dir = tempFolder('randwire-rss-');
  const file = join(dir, 'peak-rss');
  try {
    const timeout = opts.timeoutMs ?? CLI_TIMEOUT_MS;
    const r = spawnSync(process.execPath, ['--import', preload, bin, ...args], {
      encoding: 'utf8',
      timeout,
      input: opts.input,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...opts.env, RANDWIRE_TEST_PEAK_RSS_FILE: file },
    });
    if (r.error) throw new Error(`randwire ${args.join(' ')}: ${r.error.message}${r.signal === 'SIGTERM' ? ` (timed out after ${timeout / 1000} s)` : ''}`);
    let kib: number;
    try {
      kib = Number(readFileSync(file, 'utf8'));
    } catch {
      throw new Error(`randwire ${args.join(' ')} ended without reporting its memory (signal ${r.signal}, status ${r.status}): ${r.stderr.slice(0, 500)}`);
    }
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, peakRssMiB: kib / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface MeasuredProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  log: () => string;
  /** When the process has ended: its status and peak resident set in MiB (an error if it reported none). */
  exit: Promise<{ code: number | null; peakRssMiB: number }>;
}

/** Start a long-running `randwire` (a worker) whose peak memory is reported when it exits. */
export function startCliMeasured(args: string[], env: NodeJS.ProcessEnv = {}): MeasuredProcess {
  const dir = tempFolder('randwire-rss-');
  const file = join(dir, 'peak-rss');
  const { child, log } = spawnCli(args, { env: { ...env, RANDWIRE_TEST_PEAK_RSS_FILE: file }, nodeArgs: ['--import', preload] });
  const exit = new Promise<{ code: number | null; peakRssMiB: number }>((resolve, reject) => {
    child.on('close', (code, signal) => {
      try {
        resolve({ code, peakRssMiB: Number(readFileSync(file, 'utf8')) / 1024 });
      } catch {
        reject(new Error(`randwire ${args.join(' ')} ended without reporting its memory (signal ${signal}, status ${code}): ${log().slice(-500)}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  return { child, log, exit };
}
