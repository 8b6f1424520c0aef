import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';
import { writeGreyPng } from '../../src/data/png.js';
import { loadIdxDirectory } from '../../src/data/idx-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempFolder('randwire-node-api-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A script run by plain Node (no tsx) in the package folder: `import 'randwire'` resolves through package.json's exports to dist/. */
function plainNode(script: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 600_000, killSignal: 'SIGKILL' });
  if (r.signal) throw new Error(`the script was killed by ${r.signal} (timed out after 600 s?)\n${r.stderr}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('package.json exports ".", "./browser" and "./package.json", each compiled with its types', async () => {
  const bin = (await import('../../bin/compiled.js' as string)) as { compiledIsFresh: () => boolean };
  assert.ok(bin.compiledIsFresh(), 'dist/ is older than src/: npm test builds it, or run npm run build');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string } | string> };
  assert.deepEqual(Object.keys(pkg.exports), ['.', './browser', './package.json']);
  for (const entry of ['.', './browser']) {
    const e = pkg.exports[entry] as { types: string; default: string };
    assert.match(e.default, /^\.\/dist\/.*\.js$/, entry);
    assert.match(e.types, /^\.\/dist\/.*\.d\.ts$/, entry);
    assert.ok(existsSync(join(root, e.default)) && existsSync(join(root, e.types)), `${entry}: run npm run build`);
  }
});

test('the Node API from plain Node: train a TinyCNN and a RandWire one epoch, evaluate, stop by an AbortSignal, one-line errors', { timeout: 900_000 }, () => {
  const data = writeTinyMnist(join(tmp, 'data'), 120, 40);
  const out = (name: string): string => JSON.stringify(join(tmp, name));
  const r = plainNode(`
    import { train, evaluateRun, isRandwireError, generateGraph, graphStats } from 'randwire';
    const common = { data: ${JSON.stringify(data)}, epochs: 1, valSize: 20, batchSize: 20, testLimit: 40 };
    const epochs = [];
    const tiny = await train({ ...common, model: { model: 'tinycnn' } }, { out: ${out('tiny')}, onEpoch: (m) => epochs.push(m.epoch) });
    const rw = await train({ ...common, model: { model: 'randwire', nodes: 6, channels: 4 } }, { out: ${out('rw')} });
    const evaluation = await evaluateRun(${out('rw')});
    const abort = new AbortController();
    abort.abort();
    const stopped = await train({ ...common, model: { model: 'tinycnn' } }, { out: ${out('stopped')}, signal: abort.signal });
    let error;
    try { await train({ ...common, epoch: 3 }, { out: ${out('bad')} }); } catch (e) { error = isRandwireError(e) ? e.message : 'not a RandwireError: ' + e; }
    const g = generateGraph('ws', 16, { k: 4, p: 0.75 }, 1, 2);
    console.log(JSON.stringify({ tiny: tiny.kind, tinyAcc: tiny.summary?.testAccuracy, epochs, rw: rw.kind, rwAcc: rw.summary?.testAccuracy, evalAcc: evaluation.accuracy, stopped: stopped.kind, error, edges: g.edges.length, stats: typeof graphStats(g).clustering }));
  `);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.equal(got.tiny, 'finished');
  assert.deepEqual(got.epochs, [1]);
  assert.equal(got.rw, 'finished');
  assert.equal(typeof got.tinyAcc, 'number');
  assert.equal(got.evalAcc, got.rwAcc, 'evaluateRun scores the saved model as training did');
  assert.equal(got.stopped, 'stopped');
  assert.match(String(got.error), /epoch/);
  assert.doesNotMatch(String(got.error), /\n|not a RandwireError/);
  assert.equal(got.edges, 32);
  assert.ok(existsSync(join(tmp, 'rw', 'model', 'weights.bin')));
});

test('the Node API runs a sweep (resumable, with its report and status) and predicts PNGs as the CLI does', { timeout: 900_000 }, () => {
  const data = writeTinyMnist(join(tmp, 'sweep-data'), 120, 40);
  const file = join(tmp, 'tiny-sweep.json');
  const spec = {
    name: 'api',
    data,
    recipe: { epochs: 1, batchSize: 20, valSize: 20, trainLimit: 100, testLimit: 40 },
    nodes: 6,
    channels: 4,
    graphSeeds: 2,
    cells: [{ generator: 'er', grid: { p: [0.3] } }, { model: 'tinycnn' }],
  };
  writeFileSync(file, JSON.stringify(spec));
  const digits = loadIdxDirectory(data).test.images;
  const pngs = [0, 1].map((i) => {
    const f = join(tmp, `digit-${i}.png`);
    writeFileSync(f, writeGreyPng(digits.subarray(i * 784, (i + 1) * 784), 28, 28));
    return f;
  });
  const out = join(tmp, 'api-sweep');
  const r = plainNode(`
    import { runSweep, sweepStatus, predictImages, train, isRandwireError } from 'randwire';
    const lines = [];
    const first = await runSweep({ path: ${JSON.stringify(file)} }, { out: ${JSON.stringify(out)}, workers: 2, log: (l) => lines.push(l) });
    const again = await runSweep({ path: ${JSON.stringify(out)} });
    const badWorkers = await runSweep({ path: ${JSON.stringify(out)} }, { workers: 0 }).then(() => 'accepted', (e) => (isRandwireError(e) ? e.message : 'not a RandwireError: ' + e));
    const status = sweepStatus(${JSON.stringify(out)});
    const run = ${JSON.stringify(join(tmp, 'predict-run'))};
    await train({ data: ${JSON.stringify(data)}, epochs: 1, valSize: 20, batchSize: 20, testLimit: 40, model: { model: 'tinycnn' } }, { out: run });
    const predictions = await predictImages(run, [...${JSON.stringify(pngs)}, ${JSON.stringify(join(tmp, 'missing.png'))}]);
    console.log(JSON.stringify({ trained: first.trained, failed: first.failed, stopped: first.stopped, files: first.report?.files.length ?? 0, logged: lines.length > 0, againTrained: again.trained, badWorkers, done: status.total.done, predictions }));
  `);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    trained: number;
    failed: string[];
    stopped: boolean;
    files: number;
    logged: boolean;
    againTrained: number;
    badWorkers: string;
    done: number;
    predictions: Array<{ image: string; prediction?: number; probabilities?: number[]; error?: string }>;
  };
  assert.deepEqual([got.trained, got.failed, got.stopped, got.logged], [4, [], false, true]);
  assert.ok(got.files > 0, 'the report was written');
  assert.equal(got.againTrained, 0, 'a second run trains nothing again');
  assert.match(got.badWorkers, /^sweep: workers must be a positive integer, got 0$/);
  assert.equal(got.done, 4);
  assert.equal(got.predictions.length, 3);
  for (const p of got.predictions.slice(0, 2)) {
    assert.equal(p.probabilities!.length, 10);
    assert.equal(p.prediction, p.probabilities!.indexOf(Math.max(...p.probabilities!)));
  }
  assert.match(got.predictions[2]!.error!, /not found/);
});
