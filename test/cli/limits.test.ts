import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { crc32, createDeflate } from 'node:zlib';
import { runCliMeasured, type MeasuredCli } from '../helpers/peak-rss.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { LIMITS } from '../../src/core/limits.js';
import { plannedTrialCount } from '../../src/sweep/trial-count.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-limits-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The failures these limits stop took 769 MB and growing (a sweep of 1e6 trials), 3.4 GB (a PNG),
 * 7 GB (/dev/zero); the CLI itself starts at ~250 MiB (tsx, tfjs). Under this, nothing unbounded ran.
 */
const BOUND_MIB = 512;

function bounded(r: MeasuredCli, what: string): void {
  console.log(`# ${what}: peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
  assert.ok(r.peakRssMiB < BOUND_MIB, `${what}: peak RSS ${r.peakRssMiB.toFixed(0)} MiB, over ${BOUND_MIB} MiB`);
}

/** Refused: non-zero status, one line on stderr matching `message`, and bounded memory. */
function refused(args: string[], message: RegExp): MeasuredCli {
  const r = runCliMeasured(args);
  assert.notEqual(r.status, 0, args.join(' '));
  assert.match(r.stderr, message, args.join(' '));
  assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr.slice(0, 500)}`);
  bounded(r, args.join(' '));
  return r;
}

test('a sweep above the trial limit is refused from its counts, before anything is expanded', () => {
  const big = join(tmp, 'million.json');
  writeFileSync(big, JSON.stringify({ name: 'million', graphSeeds: 1000, trainSeeds: 1000, cells: [{ generator: 'ws' }] }));
  refused(['sweep', 'plan', big], /million\.json: 1,000,000 trials \(graph seeds x train seeds x cells\), more than the 10,000 a sweep may have/);
  // A grid whose product alone is astronomical: 20^8 settings, never multiplied out.
  const grid = join(tmp, 'grid.json');
  const values = Array.from({ length: 20 }, (_, i) => 0.01 * (i + 1));
  writeFileSync(
    grid,
    JSON.stringify({
      name: 'grid',
      graphSeeds: 1,
      cells: [{ generator: 'er', grid: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, values])) }],
    }),
  );
  refused(['sweep', 'plan', grid], /25,600,000,000 trials .* more than the 10,000/);
});

test('the trial count is the number of trials a sweep plans', () => {
  const spec = parseSweepSpec(
    {
      name: 'count',
      nodes: [6, 8],
      channels: [4, 8],
      graphSeeds: 3,
      trainSeeds: [1, 5],
      cells: [
        { generator: 'er', grid: { p: [0.2, 0.4] } },
        { generator: 'ws', list: [{ k: 2, p: 0.5 }] },
        { generator: 'ba', random: { count: 2, ranges: { m: [1, 3] } } },
        { model: 'tinycnn' },
      ],
    },
    'count',
    false,
  );
  const trials = planSweep(spec, false).trials.length;
  assert.equal(trials, 3 * 2 * ((2 + 1 + 2) * 4 + 1));
  assert.equal(plannedTrialCount(spec), trials);
});

test('files read as JSON stop at the size limit: /dev/zero and a file measured before reading', () => {
  refused(['sweep', 'plan', '/dev/zero'], /sweep file \/dev\/zero did not end within the 32 MiB randwire reads from a text or JSON file/);
  const big = join(tmp, 'big-config.json');
  writeFileSync(big, '{' + ' '.repeat(LIMITS.textFileBytes) + '}');
  refused(['train', '--config', big, '--out', join(tmp, 'never')], /config file .*big-config\.json is 32 MiB, more than the 32 MiB/);
  assert.equal(existsSync(join(tmp, 'never')), false);
  refused(['graph', 'show', big], /graph file .*big-config\.json is 32 MiB, more than the 32 MiB/);
});

/** A real grey PNG of w x h black pixels, deflated as it is written (a 20000x20000 one is ~400 KB). */
async function blackPng(file: string, w: number, h: number): Promise<void> {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // 8-bit grey, colour type 0
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const row = Buffer.alloc(w + 1); // filter byte 0, then black
  for (let y = 0; y < h; y++) if (!deflate.write(row)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  writeFileSync(file, Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]));
}

test("predict checks a PNG's pixels from its header before decoding it", { timeout: 300_000 }, async () => {
  const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
  const run = join(tmp, 'run');
  const t = runCliMeasured(
    [
      'train',
      '--model',
      'tinycnn',
      '--data',
      data,
      '--epochs',
      '1',
      '--batch-size',
      '50',
      '--val-size',
      '20',
      '--test-limit',
      '20',
      '--backend',
      'wasm',
      '--out',
      run,
    ],
    { timeoutMs: 240_000 },
  );
  assert.equal(t.status, 0, t.stderr);
  const huge = join(tmp, 'huge.png');
  await blackPng(huge, 20000, 20000);
  assert.ok(statSync(huge).size < 1024 * 1024, 'the PNG is small on disk');
  const ok = join(tmp, 'ok.png');
  await blackPng(ok, 28, 28);
  const r = runCliMeasured(['predict', run, huge, ok]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /ok\.png: \d \(/, 'the other image is still scored');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `randwire: data: ${huge} is 20000x20000 pixels, more than the 16,777,216 (4096x4096) randwire decodes`,
    'randwire: predict: 1 of 2 images could not be read (listed above); the others were scored',
  ]);
  bounded(r, 'predict of a 20000x20000 PNG');
});

test('dense graphs are drawn on a ring or not at all, each said in one line; the statistics are still printed', () => {
  const ring = join(tmp, 'complete40.svg');
  const r = runCliMeasured(['graph', 'complete', '--nodes', '40', '--svg', ring]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `randwire: ${ring}: 780 edges, more than the 400 of a layered drawing; drawn on a ring\n`);
  assert.match(r.stdout, /wrote .*complete40\.svg/);
  assert.ok(statSync(ring).size > 0);
  bounded(r, 'graph complete --nodes 40 --svg');

  const none = join(tmp, 'complete250.svg');
  const n = runCliMeasured(['graph', 'complete', '--nodes', '250', '--svg', none]);
  assert.equal(n.status, 0, n.stderr);
  assert.equal(n.stderr, `randwire: ${none}: 31,125 edges, more than the 20,000 drawn; no SVG drawing\n`);
  assert.match(n.stdout, /edges\s+31125/);
  assert.equal(existsSync(none), false);
  bounded(n, 'graph complete --nodes 250 --svg');
});

test('a training whose stage graphs are too dense for a layered drawing says so, and a drawing that fails does not stop it', { timeout: 300_000 }, () => {
  const data = writeTinyMnist(join(tmp, 'dense-data'), 60, 20);
  const run = join(tmp, 'dense');
  // A folder where stage 2's drawing goes: that drawing fails, the training must not.
  mkdirSync(join(run, 'graphs', 'stage-2.svg'), { recursive: true });
  const r = runCliMeasured(
    [
      'train',
      '--generator',
      'complete',
      '--nodes',
      '30',
      '--channels',
      '2',
      '--data',
      data,
      '--epochs',
      '1',
      '--batch-size',
      '30',
      '--val-size',
      '0',
      '--test-limit',
      '20',
      '--backend',
      'wasm',
      '--out',
      run,
    ],
    { timeoutMs: 240_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  for (const s of [1, 2, 3]) assert.match(r.stderr, new RegExp(`stage ${s}: 435 edges, more than the 400 of a layered drawing; drawn on a ring`));
  assert.match(r.stderr, /warning: stage 2 was not drawn \(io: .*stage-2\.svg is a directory; give a file name\); training goes on/);
  for (const s of [1, 3]) assert.ok(statSync(join(run, 'graphs', `stage-${s}.svg`)).isFile());
  assert.ok(existsSync(join(run, 'summary.json')), 'the run finished');
});

test('graphs past the node limit and models past the depth limit are one-line errors, not stack overflows', () => {
  const file = join(tmp, 'chain20k.json');
  const nodes = 20_000;
  writeFileSync(
    file,
    JSON.stringify({
      format: 'randwire-graph',
      version: 1,
      generator: 'chain',
      params: {},
      seed: 0,
      nodes,
      edges: Array.from({ length: nodes - 1 }, (_, i) => [i, i + 1]),
    }),
  );
  refused(['model', 'randwire', '--graph', file], /chain20k\.json: 20,000 nodes, more than the 1,000 allowed/);
  refused(['model', 'randwire', '--generator', 'chain', '--nodes', '400'], /the model is 3,611 layers deep, more than the 3,000 tfjs-layers can build/);
  refused(['train', '--generator', 'complete', '--nodes', '1000', '--epochs', '1', '--out', join(tmp, 'deep')], /layers deep, more than the 3,000/);
});
