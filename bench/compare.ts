/**
 * randwire against PyTorch on the same networks, side by side in one run (not a test):
 *   npm run bench:compare                          the default cases of npm run bench
 *   npm run bench:compare -- --case randwire-ws-c16-n32 --case tinycnn [--steps 10] [--batch N]
 *   npm run bench:compare -- --contention 1        both measured while 1 busy process competes
 *   npm run bench:compare -- --rounds 3            alternate the two sides 3 times; medians
 * PyTorch builds each case's network from our own model plan (bench/pytorch/plan_model.py), so
 * both sides train exactly the same layers and graphs. Needs Debian's python3-torch and
 * libopenblas0-pthread (apt-get install -y python3-torch libopenblas0-pthread).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { plural } from '../src/core/format.js';
import { CASES, count, median } from './cases.js';
import { withContention } from './contention.js';
import { COMPARE_TABLE_HEAD, compareTableRow, round2, type CompareLine } from './compare-table.js';

const PYTHON = '/usr/bin/python3';

interface Speed {
  trainImagesPerSec: number;
  inferImagesPerSec: number;
  gflops: number;
  /** randwire's side only: its sgemm in the same process. */
  sgemmGflops?: number;
}

function lastJsonLine(what: string, r: ReturnType<typeof spawnSync>): Speed {
  const line = String(r.stdout)
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (r.status !== 0 || !line) throw new Error(`${what} failed (exit ${r.status}): ${String(r.stderr).trim().split('\n').pop() ?? ''}`);
  return JSON.parse(line) as Speed;
}

function ours(name: string, steps: number, batch: number): Speed {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/bench.ts', '--case', name, '--steps', String(steps), '--batch', String(batch)], {
    encoding: 'utf8',
  });
  return lastJsonLine(`randwire bench of ${name}`, r);
}

function pytorch(planFile: string, steps: number, batch: number): Speed {
  const r = spawnSync(PYTHON, ['bench/pytorch/bench.py', '--plan', planFile, '--batch', String(batch), '--steps', String(steps)], { encoding: 'utf8' });
  return lastJsonLine('the PyTorch bench', r);
}

function exportPlan(name: string, file: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/export-plan.ts', '--case', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`export-plan ${name}: ${r.stderr.trim()}`);
  writeFileSync(file, r.stdout);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', multiple: true },
      steps: { type: 'string', default: '10' },
      batch: { type: 'string' },
      rounds: { type: 'string', default: '1' },
      contention: { type: 'string', default: '0' },
    },
  });
  const names = values.case ?? Object.keys(CASES).filter((n) => !CASES[n]!.extra);
  for (const n of names) if (!CASES[n]) throw new Error(`unknown case ${n} (cases: ${Object.keys(CASES).join(', ')})`);
  const steps = count('steps', values.steps)!;
  const rounds = count('rounds', values.rounds)!;
  const busy = count('contention', values.contention, 0)!;
  const batchOverride = count('batch', values.batch);
  if (spawnSync(PYTHON, ['-c', 'import torch']).status !== 0) throw new Error('PyTorch is missing: apt-get install -y python3-torch libopenblas0-pthread');
  const tmp = mkdtempSync(join(tmpdir(), 'randwire-compare-'));
  const rows: string[] = [];
  try {
    for (const name of names) {
      const batch = batchOverride ?? CASES[name]!.batch;
      const plan = join(tmp, `${name}.json`);
      exportPlan(name, plan);
      const a: Speed[] = [];
      const b: Speed[] = [];
      for (let r = 0; r < rounds; r++) {
        process.stderr.write(`compare: ${name}, round ${r + 1}/${rounds}${busy ? `, ${plural(busy, 'busy process', 'busy processes')}` : ''}\n`);
        a.push(await withContention(busy, async () => ours(name, steps, batch)));
        b.push(await withContention(busy, async () => pytorch(plan, steps, batch)));
      }
      const m = (xs: Speed[], k: keyof Speed): number => round2(median(xs.map((x) => x[k] ?? 0)));
      const line: CompareLine = {
        case: name,
        batch,
        busyProcesses: busy,
        rounds,
        train: {
          randwire: m(a, 'trainImagesPerSec'),
          pytorch: m(b, 'trainImagesPerSec'),
          ratio: Number((m(a, 'trainImagesPerSec') / m(b, 'trainImagesPerSec')).toFixed(2)),
        },
        infer: {
          randwire: m(a, 'inferImagesPerSec'),
          pytorch: m(b, 'inferImagesPerSec'),
          ratio: Number((m(a, 'inferImagesPerSec') / m(b, 'inferImagesPerSec')).toFixed(2)),
        },
        gflops: { randwire: m(a, 'gflops'), pytorch: m(b, 'gflops'), sgemm: m(a, 'sgemmGflops') },
      };
      process.stdout.write(JSON.stringify(line) + '\n');
      rows.push(compareTableRow(line));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(['', ...COMPARE_TABLE_HEAD, ...rows, ''].join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:compare: ${(e as Error).message}\n`);
  process.exit(2);
});
