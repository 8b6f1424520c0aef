#!/usr/bin/env node
// Runs the compiled CLI (dist/) when it is up to date, else the TypeScript sources through tsx, so
// a clone works with or without a build and never runs JavaScript older than its sources.
import { compiledIsFresh } from './compiled.js';

// Before anything loads: process listings never show a queue URL's password.
const secret = /(rediss?:\/\/)[^@/\s]*@/;
if (process.argv.some((a) => secret.test(a))) process.title = process.argv.map((a) => a.replace(secret, '$1***@')).join(' ');

// RANDWIRE_FROM_SOURCES=1 runs the sources even then (bench/startup.mjs compares the two).
if (process.env.RANDWIRE_FROM_SOURCES !== '1' && compiledIsFresh()) {
  await import('../dist/cli/main.js');
} else {
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) {
    process.stderr.write('randwire: dist/ is missing or older than src/, and tsx (a dev dependency) is not installed: run `npm install && npm run build`\n');
    process.exit(1);
  }
  tsx.register();
  await import('../src/cli/main.ts');
}
