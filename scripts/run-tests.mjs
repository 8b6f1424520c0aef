#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's built-in runner. Node 20's `node --test DIR` silently
// runs zero .ts files, so the files are listed here, and finding none is a failure.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compiledIsFresh } from '../bin/compiled.js';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const filter = process.argv.slice(2);
let files = find('test').sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
// Three files at a time (Node's default is one fewer than the cores: one here): many tests wait on
// child processes, Redis or a browser. 2026-11-30: 9.6-10.7 min one file at a time on the 2-core
// CI machine, 8.1 min two at a time (407 tests). 2026-12-04 (518 tests): 11 min 39 s three at a
// time on a quiet machine; two at a time passed beside two busy processes in 23 min 8 s.
// The CLI the tests spawn (hundreds of times) runs from dist/ once it is up to date: each start
// then skips compiling TypeScript. A failed build fails here, before any test.
if (!compiledIsFresh()) {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
