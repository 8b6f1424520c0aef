import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';
import { makeWeightsNaN } from '../helpers/tampered-model.js';

const tmp = tempFolder('randwire-damage-');
const data = writeTinyMnist(join(tmp, 'data'), 400, 60);
const common = ['--data', data, '--epochs', '1', '--batch-size', '50', '--val-size', '50', '--backend', 'wasm'];

test("damage: every node and edge of a trained RandWire run; removing nothing gives the run's own accuracy", () => {
  const run = join(tmp, 'rw');
  const t = runCli(['train', '--model', 'randwire', '--nodes', '6', '--channels', '4', ...common, '--out', run]);
  assert.equal(t.status, 0, t.stderr);
  const d = runCli(['damage', run]);
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /^undamaged \d+\.\d+ % on 60 test images; mean drop per removed node -?\d+\.\d+ points, per removed edge -?\d+\.\d+ points/);
  const r = JSON.parse(readFileSync(join(run, 'damage', 'damage.json'), 'utf8'));
  const ev = JSON.parse(runCli(['eval', run, '--json']).stdout);
  assert.equal(r.accuracy, ev.testAccuracy);
  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
  const edges = JSON.parse(readFileSync(join(run, 'graphs', 'stage-1.json'), 'utf8')).edges.length;
  assert.ok(edges > 0);
  assert.equal(r.edges.filter((e: { stage: number }) => e.stage === 1).length, edges);
  for (const f of ['damage.csv', 'damage.md', 'damage-stage-1.svg', 'damage-stage-3.svg']) assert.ok(existsSync(join(run, 'damage', f)), f);
  assert.match(
    readFileSync(join(run, 'damage', 'damage.csv'), 'utf8').split('\n')[0]!,
    /^kind,stage,node,from,to,role,in_degree,out_degree,depth,weight,skips,betweenness,accuracy,drop$/,
  );
  const outFile = runCli(['damage', run, '--out', join(tmp, 'data', 't10k-labels-idx1-ubyte')]);
  assert.equal(outFile.status, 1);
  assert.match(outFile.stderr, /^randwire: damage: --out .* is a file; give a folder\n$/);
  const nodesOnly = runCli(['damage', run, '--what', 'nodes', '--test-limit', '20', '--out', join(tmp, 'nodes')]);
  assert.equal(nodesOnly.status, 0, nodesOnly.stderr);
  const n = JSON.parse(readFileSync(join(tmp, 'nodes', 'damage.json'), 'utf8'));
  assert.equal(n.edges.length, 0);
  assert.equal(n.testImages, 20);

  // A missing test set is one line, not a stack trace.
  const moved = join(tmp, 'rw-moved');
  cpSync(run, moved, { recursive: true });
  const noTest = join(tmp, 'no-test');
  cpSync(data, noTest, { recursive: true });
  rmSync(join(noTest, 't10k-images-idx3-ubyte'));
  writeFileSync(join(moved, 'config.json'), JSON.stringify({ ...config, data: noTest }));
  const missing = runCli(['damage', moved]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^randwire: .*t10k-images.*\n$/);
});

test('damage: a model whose outputs are NaN is a one-line error, as for eval and predict, and nothing is written', { timeout: 300_000 }, () => {
  const nan = join(tmp, 'rw-nan');
  cpSync(join(tmp, 'rw'), nan, { recursive: true });
  rmSync(join(nan, 'damage'), { recursive: true, force: true });
  makeWeightsNaN(join(nan, 'model'));
  const d = runCli(['damage', nan], { timeoutMs: 300_000 });
  assert.equal(d.status, 1, d.stderr);
  assert.equal(d.stderr, `randwire: model: ${nan}/model gives NaN outputs: its weights are damaged or training diverged\n`);
  assert.equal(d.stdout, '');
  assert.ok(!existsSync(join(nan, 'damage')), 'no damage/ folder');
});

test('damage: a baseline, a folder that is not a run and a bad --what are one-line errors', { timeout: 300_000 }, () => {
  const run = join(tmp, 'cnn');
  assert.equal(runCli(['train', '--model', 'tinycnn', ...common, '--out', run]).status, 0);
  const baseline = runCli(['damage', run]);
  assert.equal(baseline.status, 1);
  assert.match(baseline.stderr, /^randwire: .*cnn is a tinycnn run; damage needs a RandWire run \(a baseline has no random graph\)\n$/);
  const notRun = runCli(['damage', data]);
  assert.match(notRun.stderr, /^randwire: .*is not a run folder \(no config.json\)\n$/);
  const what = runCli(['damage', run, '--what', 'stages']);
  assert.equal(what.status, 2);
  assert.match(what.stderr, /--what.*nodes, edges, both/);
});
