#!/usr/bin/env node
// Time from process start to exit of CLI calls that do little else: `--help`, `info` (loads
// TensorFlow.js and the backends) and `sweep trial --help` (everything a trial process loads
// before it trains). Medians of N runs, one line each. Run it on a quiet machine.
//   node bench/startup.mjs [runs, default 7] [bin, default bin/randwire.js]
// `npm run bench:startup` compares the compiled CLI with the sources run through tsx
// (RANDWIRE_FROM_SOURCES=1); pass another checkout's bin/randwire.js to time an older version.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const runs = Number(process.argv[2] ?? 7);
const bin = process.argv[3] ?? 'bin/randwire.js';
const calls = [['--help'], ['info'], ['sweep', 'trial', '--help']];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model} x ${cpus().length}, node ${process.version}, ${bin}, median of ${runs}`);
for (const [label, env] of [
  ['compiled (dist/)', {}],
  ['sources (tsx)', { RANDWIRE_FROM_SOURCES: '1' }],
]) {
  for (const args of calls) {
    time(args, env); // warm the file cache
    const xs = Array.from({ length: runs }, () => time(args, env));
    console.log(
      `${label.padEnd(17)} randwire ${args.join(' ').padEnd(18)} ${median(xs).toFixed(2)} s (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`,
    );
  }
}
