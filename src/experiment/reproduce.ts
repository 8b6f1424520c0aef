import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { RandwireError } from '../core/errors.js';
import { writeText } from '../io/files.js';
import { writeReport, type ReportFiles } from '../report/report.js';
import { RUNS_DIR } from '../io/run-layout.js';
import type { TrainConfig } from './config.js';
import { presetConfigs, type Preset } from './presets.js';
import { readSummary } from './run-files.js';
import { readJson } from '../io/json.js';
import { LATEST_SEEDING, SEEDING_WHEN_ABSENT, type Seeding } from '../core/rng.js';

export interface ReproduceOptions {
  preset: string;
  out: string;
  workers: number;
  resume: boolean;
  seed: number;
  overrides: Partial<TrainConfig>;
  randwire: Partial<Preset['randwire']>;
  log: (line: string) => void;
  /** Polled while waiting; when true, the workers are asked to checkpoint and stop. */
  shouldStop?: () => boolean;
}

interface Manifest {
  preset: string;
  seed: number;
  overrides: Partial<TrainConfig>;
  randwire: Partial<Preset['randwire']>;
  /** Absent in folders made before 2026-12-04: seeding 1. */
  seeding?: Seeding;
  createdAt: string;
}

const BIN = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));
// Longest jobs first so that the workers finish together.
const COST_ORDER = ['alexnet', 'randwire-ba', 'randwire-er', 'randwire-ws', 'handmadecnn', 'tinycnn'];

const presetTitle = (preset: string): string => `MNIST, preset '${preset}'`;

/** The seeding of a results folder's runs and figures: its manifest's (absent: 1), or the latest for a folder `reproduce` did not make. */
export function resultsSeeding(dir: string): Seeding {
  const manifestPath = join(dir, 'reproduce.json');
  return existsSync(manifestPath) ? (readJson<Manifest>(manifestPath, 'reproduce manifest').seeding ?? SEEDING_WHEN_ABSENT) : LATEST_SEEDING;
}

/** The report title of a results folder: its preset when `reproduce` made it, else its path. */
export function reportTitle(dir: string): string {
  const manifestPath = join(dir, 'reproduce.json');
  return existsSync(manifestPath) ? presetTitle(readJson<Manifest>(manifestPath, 'reproduce manifest').preset) : `MNIST results (${dir})`;
}

export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

/**
 * Train the study's six models in parallel worker processes (one `randwire train` each, so each
 * has its own wasm heap and core), then write the report. Rerun with `resume` after an
 * interruption: finished runs are reused, unfinished ones continue from their checkpoints.
 */
export async function reproduce(o: ReproduceOptions): Promise<ReportFiles & { failed: string[]; stopped: boolean }> {
  const manifestPath = join(o.out, 'reproduce.json');
  let manifest: Manifest;
  if (existsSync(manifestPath)) {
    if (!o.resume) throw new RandwireError('reproduce', `${o.out} already holds results; pass --resume to continue or reuse them, or choose another --out`);
    manifest = readJson<Manifest>(manifestPath, 'reproduce manifest');
    if (manifest.preset !== o.preset) o.log(`note: ${o.out} was started with preset '${manifest.preset}'; continuing with it`);
    if (manifest.seeding === undefined) o.log(`${o.out} uses seeding 1 (made before 2026-12-04): its runs continue with that random stream`);
  } else {
    const { seeding = LATEST_SEEDING, ...overrides } = o.overrides;
    manifest = { preset: o.preset, seed: o.seed, overrides, randwire: o.randwire, seeding, createdAt: new Date().toISOString() };
  }
  const seeding = manifest.seeding ?? SEEDING_WHEN_ABSENT;
  const jobs = presetConfigs(manifest.preset, manifest.seed, manifest.overrides, manifest.randwire, seeding);
  writeText(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  for (const j of jobs) writeText(join(o.out, 'configs', `${j.id}.json`), JSON.stringify(j.config, null, 2) + '\n');

  const queue = jobs
    .map((j) => j.id)
    .filter((id) => {
      const done = readSummary(join(o.out, RUNS_DIR, id));
      if (done) o.log(`${id}: finished earlier (test accuracy ${(done.testAccuracy * 100).toFixed(2)} %), reused`);
      return !done;
    })
    .sort((a, b) => COST_ORDER.indexOf(a) - COST_ORDER.indexOf(b));
  const failed: string[] = [];
  const running = new Set<ChildProcess>();
  let stopped = false;
  const poll = setInterval(() => {
    if (!stopped && o.shouldStop?.()) {
      stopped = true;
      for (const c of running) c.kill('SIGINT');
    }
  }, 200);

  const workerCount = Math.max(1, Math.min(o.workers, queue.length));
  // Each worker's share of the cores for the oneDNN kernels; more threads than cores makes
  // OpenMP threads of two processes spin against each other.
  const env = { ...process.env, RANDWIRE_THREADS: process.env.RANDWIRE_THREADS ?? String(Math.max(1, Math.floor(cpus().length / workerCount))) };
  const runJob = (id: string): Promise<void> =>
    new Promise((resolve) => {
      const args = [BIN, 'train', '--config', join(o.out, 'configs', `${id}.json`), '--out', join(o.out, RUNS_DIR, id), '--resume'];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
      running.add(child);
      const prefix = (line: string): void => o.log(`[${id}] ${line}`);
      createInterface({ input: child.stderr! }).on('line', prefix);
      createInterface({ input: child.stdout! }).on('line', prefix);
      child.on('exit', (code) => {
        running.delete(child);
        if (code !== 0 && code !== 130) failed.push(id);
        resolve();
      });
    });

  const workers = Array.from({ length: workerCount }, async () => {
    for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) await runJob(id);
  });
  await Promise.all(workers);
  clearInterval(poll);
  const title = presetTitle(manifest.preset);
  const report = await writeReport(o.out, title, seeding);
  return { ...report, failed, stopped };
}
