import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { parseGraph } from '../../src/graph/format.js';
import { GENERATORS } from '../../src/graph/generators.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-cli-');

test('graph ws --json prints only a valid 64-edge graph, byte-identical for the same seed', () => {
  const args = ['graph', 'ws', '--nodes', '32', '--k', '4', '--p', '0.75', '--seed', '1', '--json'];
  const a = runCli(args);
  const b = runCli(args);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const g = parseGraph(a.stdout);
  assert.equal(g.edges.length, 64);
  assert.equal(JSON.parse(a.stdout).stats.edges, 64);
  const c = runCli(['graph', 'ws', '--nodes', '32', '--k', '4', '--p', '0.75', '--seed', '2', '--json']);
  assert.notEqual(c.stdout, a.stdout);
});

test('graph ba --m 5 gives 135 edges; --out and --svg write files that graph show reads back', () => {
  const out = join(tmp, 'ba.json');
  const svg = join(tmp, 'ba.svg');
  const r = runCli(['graph', 'ba', '--nodes', '32', '--m', '5', '--seed', '3', '--out', out, '--svg', svg]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /edges\s+135/);
  assert.equal(parseGraph(readFileSync(out, 'utf8')).edges.length, 135);
  assert.match(readFileSync(svg, 'utf8'), /<svg/);
  const show = runCli(['graph', 'show', out, '--json']);
  assert.equal(show.status, 0, show.stderr);
  assert.equal(JSON.parse(show.stdout).edges.length, 135);
});

test('user mistakes end in one line and a non-zero exit, never a stack trace', () => {
  const bad = join(tmp, 'cycle.json');
  writeFileSync(
    bad,
    JSON.stringify({
      format: 'randwire-graph',
      version: 1,
      generator: 'er',
      params: {},
      seed: 1,
      nodes: 3,
      edges: [
        [0, 1],
        [1, 2],
        [2, 0],
      ],
    }),
  );
  const cases: Array<[string[], RegExp]> = [
    [['graph', 'ws', '--k', '3'], /k must be even/],
    [['graph', 'er', '--p', '2'], /p must be a probability/],
    [['graph', 'ba', '--m', 'five'], /not a number/],
    [['graph', 'ba', '--nodes', '1'], /nodes must be an integer >= 2/],
    [['graph', 'ws', '--layout', 'spiral'], /choose one of dag, ring/],
    [['graph', 'show', join(tmp, 'missing.json')], /not found/],
    [['graph', 'show', bad], /cycle/],
    [['graph', 'hexagon'], /unknown command/],
    [['graph', 'er', '--bogus'], /unknown option/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace for ${args.join(' ')}`);
  }
});

test('figures writes the six study graphs as SVG', () => {
  const dir = join(tmp, 'figures');
  const r = runCli(['figures', '--out', dir]);
  assert.equal(r.status, 0, r.stderr);
  const svgs = readdirSync(dir)
    .filter((f) => f.endsWith('.svg'))
    .sort();
  assert.deepEqual(svgs, ['ba-2.svg', 'ba-4.svg', 'er-0.15.svg', 'er-0.3.svg', 'ws-4-0.1.svg', 'ws-4-0.75.svg']);
  assert.equal(parseGraph(readFileSync(join(dir, 'ba-4.json'), 'utf8')).edges.length, 4 * 28);
  assert.ok(existsSync(join(dir, 'ws-4-0.75.json')));
});

test('figures --families draws every family of the registry, coloured input, hidden, output', () => {
  const dir = join(tmp, 'families');
  const r = runCli(['figures', '--families', '--out', dir, '--seed', '3']);
  assert.equal(r.status, 0, r.stderr);
  const svgs = readdirSync(dir)
    .filter((f) => f.endsWith('.svg'))
    .map((f) => f.replace('.svg', ''))
    .sort();
  assert.deepEqual(svgs, Object.keys(GENERATORS).sort());
  const sbm = readFileSync(join(dir, 'sbm.svg'), 'utf8');
  assert.match(sbm, /SBM\(4, 0.5, 0.05\), N=32, seed 3/);
  assert.equal(parseGraph(readFileSync(join(dir, 'rr.json'), 'utf8')).edges.length, 64);
});

test('--help works on every command', async () => {
  const commands = [
    ['--help'],
    ['graph', '--help'],
    ['graph', 'ws', '--help'],
    ['graph', 'show', '--help'],
    ['graph', 'import', '--help'],
    ['graph', 'sbm', '--help'],
    ['figures', '--help'],
    ['model', '--help'],
    ['info', '--help'],
    ['train', '--help'],
    ['eval', '--help'],
    ['predict', '--help'],
    ['reproduce', '--help'],
    ['help', 'sweep'],
    ['report', '--help'],
  ];
  const results = await Promise.all(commands.map((args) => runCliAsync(args)));
  results.forEach((r, i) => {
    assert.equal(r.status, 0, commands[i]!.join(' '));
    assert.match(r.stdout, /Usage: randwire/);
  });
});
