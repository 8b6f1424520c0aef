import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import { runCli } from '../helpers/cli.js';
import { EPOCH_SECONDS, writeEvolutionFixture, writeHalvingFixture, writeRandomFixture } from '../helpers/search-fixture.js';

const tmp = tempFolder('randwire-sweep-compare-');
const random = join(tmp, 'random');
const halving = join(tmp, 'halving');
const evolution = join(tmp, 'evolution');
writeRandomFixture(random);
writeHalvingFixture(halving);
const { retrained } = writeEvolutionFixture(evolution);

const oneLine = (stderr: string): void => assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);

test('sweep compare: a curve per sweep, what each cost and found, and the retrained test accuracy', () => {
  const out = join(tmp, 'compared');
  const r = runCli(['sweep', 'compare', random, halving, evolution, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^wrote 5 files to .*compared \(3 sweeps\)/);
  const table = readFileSync(join(out, 'table.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  assert.deepEqual(table[0], ['sweep', 'strategy', 'trialsTrained', 'epochs', 'seconds', 'bestTrialId', 'bestValAccuracy', 'bestTestAccuracy']);
  // random: 4 trials x 3 epochs; halving: 7 x 1 + 2 x 2 more + 5 x 3; evolution: (8 + 6 children) x 3, retrains not counted.
  assert.deepEqual(
    table.slice(1).map((row) => row.slice(0, 5)),
    [
      ['random', 'random', '4', '12', String(12 * EPOCH_SECONDS)],
      ['halving', 'halving', '12', '26', String(26 * EPOCH_SECONDS)],
      ['evolution', 'evolution', '14', '42', String(42 * EPOCH_SECONDS)],
    ],
  );
  for (const row of table.slice(1)) assert.ok(Math.abs(Number(row[7]) - (Number(row[6]) - 0.01)) < 1e-9, `test accuracy of the best trial: ${row.join(',')}`);
  const retrains = readFileSync(join(out, 'retrains.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  assert.deepEqual(retrains.map((x) => [x[0], x[1], x[4], x[5]]).sort(), retrained.map((id) => ['evolution', id, '2', '2']).sort());
  const curves = readFileSync(join(out, 'anytime.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  assert.deepEqual([...new Set(curves.map((c) => `${c[0]}/${c[1]}`))], ['random/random', 'halving/halving', 'evolution/evolution']);
  const halvingBest = Math.max(...curves.filter((c) => c[0] === 'halving').map((c) => Number(c[9])));
  // A stopped trial's rung result may beat every finished trial's; never the reverse.
  assert.ok(halvingBest >= Number(table[2]![6]), `curve ${halvingBest}, table ${table[2]![6]}`);
  const md = readFileSync(join(out, 'table.md'), 'utf8');
  assert.match(md, /\| evolution \| evolution \| 14 \| 42 \| 7\.0 min \|/);
  assert.match(md, /## Retrained[^]*\| 2 of 2 \|/);
  assert.match(readFileSync(join(out, 'anytime.svg'), 'utf8'), /halving \(halving\)/);
});

test('sweep compare: bad folders and outputs are one line each; --help has an example', () => {
  const notSweep = runCli(['sweep', 'compare', random, join(tmp, 'nothing-here'), '--out', join(tmp, 'x')]);
  assert.notEqual(notSweep.status, 0);
  oneLine(notSweep.stderr);
  assert.match(notSweep.stderr, /nothing-here is not a sweep folder/);
  const twice = runCli(['sweep', 'compare', random, `${random}/`, '--out', join(tmp, 'x')]);
  assert.notEqual(twice.status, 0);
  oneLine(twice.stderr);
  assert.match(twice.stderr, /given twice/);
  writeFileSync(join(tmp, 'a-file'), '');
  const file = runCli(['sweep', 'compare', random, '--out', join(tmp, 'a-file')]);
  assert.notEqual(file.status, 0);
  oneLine(file.stderr);
  assert.match(file.stderr, /is a file, not a folder/);
  const noOut = runCli(['sweep', 'compare', random]);
  assert.notEqual(noOut.status, 0);
  assert.match(noOut.stderr, /--out/);
  const help = runCli(['sweep', 'compare', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Example:\n\s+randwire sweep compare \S+ \S+ \S+ --out results\/search-fashion/);
});
