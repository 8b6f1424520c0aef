import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { parseGraph } from '../../src/graph/format.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-reproduce-');
const data = writeTinyMnist(join(tmp, 'data'), 400, 100);
const tiny = [
  '--data',
  data,
  '--epochs',
  '1',
  '--train-limit',
  '200',
  '--val-size',
  '100',
  '--batch-size',
  '50',
  '--channels',
  '4',
  '--nodes',
  '6',
  '--backend',
  'wasm',
];

test('reproduce (tiny) writes the table, curves, graphs and runs; --resume reuses finished runs; report regenerates', () => {
  const out = join(tmp, 'results');
  const r = runCli(['reproduce', '--preset', 'quick', ...tiny, '--out', out, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  for (const f of [
    'table.md',
    'table.csv',
    'table.json',
    'curves-randwire.svg',
    'curves-randwire.png',
    'curves-classic.svg',
    'curves-classic.png',
    'figures/ba-4.svg',
    'graphs/randwire-ba-stage-1.svg',
    'graphs/randwire-ws-stage-3.json',
    'runs/tinycnn/summary.json',
    'runs/alexnet/model/model.json',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const table = JSON.parse(readFileSync(join(out, 'table.json'), 'utf8'));
  assert.deepEqual(
    table.rows.map((x: { id: string }) => x.id),
    ['randwire-er', 'randwire-ba', 'randwire-ws', 'alexnet', 'tinycnn', 'handmadecnn'],
  );
  const md = readFileSync(join(out, 'table.md'), 'utf8');
  assert.match(md, /RandWire, BA\(5\) \| [\d.]+ % \| [\d.]+ \| 71\.67 %/);
  assert.equal(parseGraph(readFileSync(join(out, 'graphs/randwire-ba-stage-1.json'), 'utf8')).edges.length, 5);
  const png = readFileSync(join(out, 'curves-classic.png'));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');

  const again = runCli(['reproduce', '--preset', 'quick', ...tiny, '--out', out]);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /already holds results; pass --resume/);

  const before = statSync(join(out, 'runs/alexnet/summary.json')).mtimeMs;
  const resumed = runCli(['reproduce', '--preset', 'quick', ...tiny, '--out', out, '--resume']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /alexnet: finished earlier .* reused/);
  assert.equal(statSync(join(out, 'runs/alexnet/summary.json')).mtimeMs, before, 'finished runs are not retrained');

  const rep = runCli(['report', out]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.match(rep.stdout, /table\.md/);
});
