/**
 * Scaling of training over worker processes, the way `reproduce` trains (one process per model,
 * RANDWIRE_THREADS = cores / workers each): rounds that alternate one worker training alone with
 * all workers training at once, each for a fixed window of seconds. Alternating rounds spreads
 * the slow drifts of a shared machine over both figures; the medians give the ratio.
 * Prints one JSON line per round and a summary line.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import type { BackendChoice } from '../src/backend/backend.js';
import { median } from './cases.js';

export interface ScalingOptions {
  name: string;
  workers: number;
  rounds: number;
  seconds: number;
  backend: BackendChoice;
  batch?: number;
  microBatch?: number;
}

type Reply = { type: string; images?: number; seconds?: number } & Record<string, unknown>;

function nextReply(child: ChildProcess, type: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Reply): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null): void => reject(new Error(`a benchmark worker exited (code ${code}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Measures the given workers at once; returns each one's images/s. */
async function measure(children: ChildProcess[], seconds: number): Promise<number[]> {
  const replies = children.map((c) => nextReply(c, 'measured'));
  for (const c of children) c.send({ cmd: 'measure', seconds });
  const measured = await Promise.all(replies);
  const idled = children.map((c) => nextReply(c, 'idled'));
  for (const c of children) c.send({ cmd: 'idle' });
  await Promise.all(idled);
  return measured.map((m) => m.images! / m.seconds!);
}

export async function runScaling(o: ScalingOptions): Promise<void> {
  const threads = process.env.RANDWIRE_THREADS || String(Math.max(1, Math.floor(cpus().length / o.workers)));
  const args = JSON.stringify({ name: o.name, backend: o.backend, batch: o.batch, microBatch: o.microBatch });
  const children = Array.from({ length: o.workers }, () =>
    fork(new URL('./scaling-worker.ts', import.meta.url), [args], { env: { ...process.env, RANDWIRE_THREADS: threads } }),
  );
  try {
    const ready = await Promise.all(children.map((c) => nextReply(c, 'ready')));
    const alone: number[] = [];
    const together: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const [one] = await measure([children[0]!], o.seconds);
      const all = await measure(children, o.seconds);
      const total = all.reduce((a, b) => a + b, 0);
      alone.push(one!);
      together.push(total);
      const round = {
        round: r + 1,
        aloneImagesPerSec: Number(one!.toFixed(1)),
        workersImagesPerSec: all.map((v) => Number(v.toFixed(1))),
        ratio: Number((total / one!).toFixed(3)),
      };
      process.stdout.write(JSON.stringify(round) + '\n');
    }
    const summary = {
      case: o.name,
      backend: ready[0]!.backend,
      threadsPerWorker: ready[0]!.threads,
      batch: ready[0]!.batch,
      microBatch: ready[0]!.microBatch,
      workers: o.workers,
      rounds: o.rounds,
      secondsPerWindow: o.seconds,
      aloneImagesPerSec: Number(median(alone).toFixed(1)),
      togetherImagesPerSec: Number(median(together).toFixed(1)),
      ratio: Number((median(together) / median(alone)).toFixed(3)),
    };
    process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    for (const c of children) if (c.connected) c.send({ cmd: 'exit' });
  }
}
