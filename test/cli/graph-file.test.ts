import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-graph-file-');
const data = writeTinyMnist(join(tmp, 'data'), 120, 20);

test('train --graph uses the given graph for every stage and keeps it in config.json', () => {
  writeFileSync(join(tmp, 'edges.txt'), '0 1\n1 2\n2 3\n0 3\n3 4\n5 6\n');
  assert.equal(runCli(['graph', 'import', join(tmp, 'edges.txt'), '--order', 'bfs', '--out', join(tmp, 'g.json')]).status, 0);
  const out = join(tmp, 'run');
  const r = runCli([
    'train',
    '--graph',
    join(tmp, 'g.json'),
    '--channels',
    '4',
    '--data',
    data,
    '--epochs',
    '1',
    '--batch-size',
    '50',
    '--val-size',
    '20',
    '--backend',
    'wasm',
    '--out',
    out,
  ]);
  assert.equal(r.status, 0, r.stderr);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  const file = JSON.parse(readFileSync(join(tmp, 'g.json'), 'utf8'));
  assert.equal(config.model.graphs.length, 3);
  for (let s = 1; s <= 3; s++) {
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'graphs', `stage-${s}.json`), 'utf8')).edges, file.edges, `stage ${s}`);
  }
  // Two disconnected parts (nodes 5-6 apart): still a valid network, as for ER, RGG and SBM.
  assert.ok(Number.isFinite(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).testLoss));
});

test('--graph mistakes are one-line errors', () => {
  writeFileSync(join(tmp, 'bad.json'), '{"format": "randwire-graph", "version": 1, "generator": "x", "params": {}, "seed": 0, "nodes": 3, "edges": [[2, 1]]}');
  const cases: Array<[string[], RegExp]> = [
    [['model', 'randwire', '--graph', `${join(tmp, 'g.json')},${join(tmp, 'g.json')}`], /--graph takes one graph file or 3 \(one per stage\), got 2/],
    [['model', 'randwire', '--graph', join(tmp, 'missing.json')], /graph file not found/],
    [['model', 'randwire', '--graph', join(tmp, 'bad.json')], /bad\.json: edge 0 \[2,1\] points from a higher to a lower index/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
