#!/usr/bin/env node
// Compiles src/ into dist/ (ESM JavaScript, declarations, source maps) and stamps it, so that
// bin/randwire.js runs the compiled CLI until a source changes. `--clean` starts from an empty
// dist/ (prepack: no file of a deleted source goes into the tarball). npm ci runs it through
// `prepare`. Without TypeScript (an install with --omit=dev) it says so and leaves dist/ alone.
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BUILD_STAMP, ROOT } from '../bin/compiled.js';

const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error('build: typescript is not installed (dev dependencies omitted); dist/ is not built, and bin/randwire.js runs the sources through tsx.');
  process.exit(0);
}
if (process.argv.includes('--clean')) rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
// tsc's incremental build trusts dist/.tsbuildinfo: a dist/ file deleted since would never be written again.
const missing = (dir) =>
  readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory()
      ? missing(join(dir, e.name))
      : e.name.endsWith('.ts') &&
        !e.name.endsWith('.d.ts') &&
        !existsSync(join(ROOT, 'dist', relative(join(ROOT, 'src'), join(dir, e.name)).replace(/\.ts$/, '.js'))),
  );
if (missing(join(ROOT, 'src'))) rmSync(join(ROOT, 'dist', '.tsbuildinfo'), { force: true });
// The stamp takes the time the build started: a source saved during the build makes dist/ stale.
const started = new Date();
rmSync(BUILD_STAMP, { force: true });
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('build: tsc failed; dist/ is not stamped, so bin/randwire.js keeps running the sources');
  process.exit(r.status ?? 1);
}
mkdirSync(join(ROOT, 'dist'), { recursive: true });
writeFileSync(BUILD_STAMP, `built by scripts/build.mjs at ${started.toISOString()}\n`);
utimesSync(BUILD_STAMP, started, started);
