#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a fresh clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// Before anything loads: process listings never show a queue URL's password.
const secret = /(rediss?:\/\/)[^@/\s]*@/;
if (process.argv.some((a) => secret.test(a))) process.title = process.argv.map((a) => a.replace(secret, '$1***@')).join(' ');

register();
await import('../src/cli/main.ts');
