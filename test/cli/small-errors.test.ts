import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-small-errors-');
const controlBytes = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0)).filter((code) => code < 0x20 || code === 0x7f);

test('--epochs 0x10 is refused (decimal digits only), before anything is written', () => {
  const out = join(tmp, 'hex');
  const r = runCli(['train', '--model', 'tinycnn', '--epochs', '0x10', '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--epochs <n>' argument '0x10' is invalid\. not an integer \(decimal digits, as 12\)/);
  assert.equal(existsSync(out), false);
});

test('--tolerance without --match is an error, not ignored', () => {
  const r = runCli(['sweep', 'report', join(tmp, 'no-sweep'), '--tolerance', '5']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: option '--tolerance' needs --match flops\|params: without --match no trial is left out\n/);
});

test('a binary sweep file: the error escapes the bytes a terminal would act on, and is short', () => {
  const junk = join(tmp, 'junk.json');
  writeFileSync(junk, Buffer.concat([readFileSync(process.execPath).subarray(0, 64), Buffer.from('\x1b[2J\x1b]0;title\x07\r')]));
  const r = runCli(['sweep', 'plan', junk]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^randwire: io: .*junk\.json is not valid JSON \(Unexpected token '\\x7f', "\\x7fELF/);
  assert.deepEqual(controlBytes(r.stderr.slice(0, -1)), [], 'no control byte but the final line feed');
  assert.ok(r.stderr.length < 400, `${r.stderr.length} characters`);
  const escapes = join(tmp, 'escapes.json');
  writeFileSync(escapes, '{"name": "x", "nodes": 8, "channels": 4, "graphSeeds": 1, "cells": [{"generator": "\\u001b[31mred\\u0007"}]}');
  const e = runCli(['sweep', 'plan', escapes]);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /unknown generator '\\x1b\[31mred\\x07'/);
  assert.deepEqual(controlBytes(e.stderr.replace(/\n/g, '')), [], e.stderr);
});

test('train --help says that --out is required', () => {
  const r = runCli(['train', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: randwire train --out <dir> \[options\]\n/);
  assert.match(r.stdout, /--out <dir> +required: the run folder/);
});
