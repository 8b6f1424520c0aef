import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { folderSnapshot, tempFolder } from '../helpers/folder.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';

const tmp = tempFolder('randwire-damaged-');
const data = writeTinyMnist(join(tmp, 'data'), 200, 40);
const train = ['train', '--model', 'handmadecnn', '--data', data, '--epochs', '2', '--batch-size', '40', '--val-size', '20', '--backend', 'wasm'];

// One finished run and one stopped after its first epoch, copied for each kind of damage.
const finished = join(tmp, 'finished');
const first = runCli([...train, '--out', finished]);
assert.equal(first.status, 0, first.stderr);
const halfway = join(tmp, 'halfway');
cpSync(finished, halfway, { recursive: true });
rmSync(join(halfway, 'summary.json'));
rmSync(join(halfway, 'model'), { recursive: true });

const flipByte = (file: string, at = 100): void => {
  const b = readFileSync(file);
  b[at] = b[at]! ^ 0xff;
  writeFileSync(file, b);
};

function expectOneLineRefusal(args: string[], dir: string, message: RegExp): void {
  const before = folderSnapshot(dir);
  const r = runCli(args);
  assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr.slice(0, 500)}`);
  assert.match(r.stderr, /^randwire: /);
  assert.deepEqual(folderSnapshot(dir), before, 'the run folder was left as it was');
}

const damages: Array<[string, (ckpt: string) => void, RegExp]> = [
  ['a truncated optimizer.bin', (c) => truncateSync(join(c, 'optimizer.bin'), 1000), /optimizer\.bin is damaged: 1000 bytes, \d+ expected/],
  ['a flipped byte in optimizer.bin', (c) => flipByte(join(c, 'optimizer.bin')), /optimizer\.bin is damaged: its SHA-256 differs/],
  ['state.json of {}', (c) => writeFileSync(join(c, 'state.json'), '{}'), /state\.json is damaged \(epoch: .*delete/],
  ['state.json that is not JSON', (c) => writeFileSync(join(c, 'state.json'), '{"epoch": 1,'), /state\.json is damaged \(not valid JSON/],
  [
    "a state past the run's epochs",
    (c) => {
      const s = JSON.parse(readFileSync(join(c, 'state.json'), 'utf8'));
      writeFileSync(join(c, 'state.json'), JSON.stringify({ ...s, epoch: 9, history: Array(9).fill(s.history[0]) }));
    },
    /is at epoch 9, batch 0, which this run \(2 epochs of 5 batches\) never reaches/,
  ],
  [
    'weights.bin replaced by random bytes of the same size',
    (c) => {
      const f = join(c, 'weights.bin');
      writeFileSync(f, Buffer.from(Array.from({ length: readFileSync(f).length }, (_, i) => (i * 7919) % 256)));
    },
    /weights\.bin is damaged: its SHA-256 differs from the one recorded in .*model\.json/,
  ],
  ['a truncated weights.bin', (c) => truncateSync(join(c, 'weights.bin'), 64), /weights\.bin is damaged: its SHA-256 differs/],
  ['a model.json of null', (c) => writeFileSync(join(c, 'model.json'), 'null'), /model\.json is not a TF\.js layers model \(file: .*\); the file is damaged/],
  [
    'a model.json whose weights lost their shapes',
    (c) => {
      const m = JSON.parse(readFileSync(join(c, 'model.json'), 'utf8'));
      delete m.weightsManifest[0].weights[0].shape;
      writeFileSync(join(c, 'model.json'), JSON.stringify(m));
    },
    /model\.json is not a TF\.js layers model \(weightsManifest\.0\.weights\.0\.shape: /,
  ],
  [
    'an optimizer.bin that is a folder',
    (c) => {
      rmSync(join(c, 'optimizer.bin'));
      mkdirSync(join(c, 'optimizer.bin'));
    },
    /optimizer state is a directory, expected a file: .*optimizer\.bin/,
  ],
  [
    'Adam slots swapped (sizes and checksum made consistent)',
    (c) => {
      const o = JSON.parse(readFileSync(join(c, 'optimizer.json'), 'utf8'));
      const bin = readFileSync(join(c, 'optimizer.bin'));
      const sizes = o.specs.map((s: { shape: number[] }) => s.shape.reduce((a: number, b: number) => a * b, 1) * 4);
      const starts = sizes.map((_: number, i: number) => sizes.slice(0, i).reduce((a: number, b: number) => a + b, 0));
      const parts = sizes.map((n: number, i: number) => bin.subarray(starts[i], starts[i] + n));
      [o.specs[1], o.specs[2]] = [o.specs[2], o.specs[1]];
      [parts[1], parts[2]] = [parts[2], parts[1]];
      const swapped = Buffer.concat(parts);
      writeFileSync(join(c, 'optimizer.bin'), swapped);
      writeFileSync(join(c, 'optimizer.json'), JSON.stringify({ ...o, sha256: createHash('sha256').update(swapped).digest('hex') }));
    },
    /optimizer\.json does not match the run's model \(slot .* has shape/,
  ],
  [
    'optimizer.json of another optimiser',
    (c) => {
      const o = JSON.parse(readFileSync(join(c, 'optimizer.json'), 'utf8'));
      writeFileSync(join(c, 'optimizer.json'), JSON.stringify({ ...o, className: 'SGD' }));
    },
    /holds SGD state but the run uses Adam/,
  ],
];

for (const [what, damage, message] of damages) {
  test(`resume refuses ${what} in one line and writes nothing`, () => {
    const dir = join(tmp, `resume-${what.replace(/\W+/g, '-')}`);
    cpSync(halfway, dir, { recursive: true });
    damage(join(dir, 'checkpoint'));
    expectOneLineRefusal(['train', '--out', dir, '--resume'], dir, message);
  });
}

test('eval and predict refuse a model whose weights.bin has a flipped byte', () => {
  const dir = join(tmp, 'flipped-model');
  cpSync(finished, dir, { recursive: true });
  flipByte(join(dir, 'model', 'weights.bin'), 5);
  expectOneLineRefusal(['eval', dir], dir, /model\/weights\.bin is damaged: its SHA-256 differs/);
  writeFileSync(join(tmp, 'x.png'), 'not a png');
  expectOneLineRefusal(['predict', dir, join(tmp, 'x.png')], dir, /SHA-256 differs/);
});

test('a model that computes NaN is refused, never scored', () => {
  const dir = join(tmp, 'nan-model');
  cpSync(finished, dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'));
  // NaN weights with a matching checksum: what a diverged training would have saved.
  const weights = new Float32Array(readFileSync(join(dir, 'model', 'weights.bin')).buffer.slice(0)).fill(Number.NaN);
  writeFileSync(join(dir, 'model', 'weights.bin'), new Uint8Array(weights.buffer));
  delete json.checksums;
  writeFileSync(join(dir, 'model', 'model.json'), JSON.stringify(json));
  expectOneLineRefusal(['eval', dir], dir, /gives NaN outputs: its weights are damaged or training diverged/);
});

test('a folder with model/ but no summary.json is not finished: eval says so and resume completes it', () => {
  const dir = join(tmp, 'no-summary');
  cpSync(finished, dir, { recursive: true });
  rmSync(join(dir, 'summary.json'));
  expectOneLineRefusal(['eval', dir], dir, /has not finished training \(no summary\.json\); continue it with randwire train --out .* --resume/);
  const r = runCli(['train', '--out', dir, '--resume']);
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(readFileSync(join(finished, 'summary.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  assert.deepEqual([b.testAccuracy, b.testLoss], [a.testAccuracy, a.testLoss]);
});

test('a finished run whose model/ was deleted gets it back from the final checkpoint', () => {
  const dir = join(tmp, 'no-model');
  cpSync(finished, dir, { recursive: true });
  rmSync(join(dir, 'model'), { recursive: true });
  const ev = runCli(['eval', dir]);
  assert.equal(ev.status, 1);
  assert.match(ev.stderr, /model\/ is missing; rebuild it from the final checkpoint with randwire train --out .* --resume/);
  const r = runCli(['train', '--out', dir, '--resume']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /rebuilt .*model\/ from the final checkpoint/);
  assert.ok(readFileSync(join(dir, 'model', 'weights.bin')).equals(readFileSync(join(finished, 'model', 'weights.bin'))));
  const again = runCli(['eval', dir, '--json']);
  assert.equal(again.status, 0, again.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  assert.equal(JSON.parse(again.stdout).testAccuracy, summary.testAccuracy);
});

test('a checkpoint is not resumed under an edited config.json', () => {
  const dir = join(tmp, 'edited-config');
  cpSync(halfway, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, lr: 0.5 }, null, 2));
  expectOneLineRefusal(
    ['train', '--out', dir, '--resume'],
    dir,
    /config\.json changed after .*checkpoint was written; put the settings back, or delete the checkpoint/,
  );
});

test('a resume without any checkpoint says that it starts from the beginning', () => {
  const dir = join(tmp, 'no-checkpoint');
  cpSync(halfway, dir, { recursive: true });
  rmSync(join(dir, 'checkpoint'), { recursive: true });
  const r = runCli(['train', '--out', dir, '--resume']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /has no checkpoint \(it stopped before its first epoch ended\); training starts from the beginning/);
});
