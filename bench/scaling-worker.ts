/**
 * One worker of the scaling benchmark (scaling.ts forks it). Argument: the case options as JSON.
 * Messages in: { cmd: 'measure', seconds } then { cmd: 'idle' }, or { cmd: 'exit' }.
 * Messages out: { type: 'ready', ... }, { type: 'measured', images, seconds }, { type: 'idled' }.
 * After a measurement it keeps training, uncounted, until told to idle, so that a worker that
 * finishes its window first still loads the machine while the others finish theirs.
 */
import { nativeThreads } from '../src/backend/native/threads.js';
import { prepareCase } from './cases.js';
import type { BackendChoice } from '../src/backend/backend.js';

interface Options {
  name: string;
  backend: BackendChoice;
  batch?: number;
  microBatch?: number;
}

const send = (m: object): void => void process.send!(m);
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const o = JSON.parse(process.argv[2]!) as Options;
// A set-up error (a backend that cannot start, say) is one line; the parent reports the exit.
const c = await prepareCase(o.name, o.backend, o.batch, o.microBatch).catch((e: unknown) => {
  process.stderr.write(`bench worker: ${(e as Error).message}\n`);
  process.exit(2);
});
c.train();
c.train();

let state: 'idle' | 'measure' | 'load' = 'idle';
let window = 0;

process.on('message', (m: { cmd: string; seconds?: number }) => {
  if (m.cmd === 'measure') {
    state = 'measure';
    window = m.seconds!;
    void measure();
  } else if (m.cmd === 'idle') {
    state = 'idle';
  } else if (m.cmd === 'exit') {
    c.dispose();
    process.exit(0);
  }
});

async function measure(): Promise<void> {
  const t0 = performance.now();
  let steps = 0;
  let elapsed = 0;
  while (elapsed < window) {
    c.train();
    steps++;
    elapsed = (performance.now() - t0) / 1000;
    await nextTurn();
  }
  send({ type: 'measured', images: steps * c.batch, seconds: elapsed });
  state = 'load';
  while (state === 'load') {
    c.train();
    await nextTurn();
  }
  send({ type: 'idled' });
}

send({ type: 'ready', backend: c.info.name, threads: c.info.onednn ? nativeThreads() : 1, batch: c.batch, microBatch: c.microBatch });
