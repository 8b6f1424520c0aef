import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { tempFolder } from '../helpers/folder.js';

/**
 * What a user of the published package gets: `npm pack` of this tree (its dist/ and web/dist/ as
 * the test runner built them; the tarball's own prepack build is not run here, since rebuilding
 * dist/ would pull it from under the tests running beside this one) installed into an empty
 * project. Install scripts are skipped: the optional oneDNN addon and SQLite's native build are
 * not what this test is about, and the API trains on the wasm backend without them.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempFolder('randwire-pack-');
after(() => rmSync(tmp, { recursive: true, force: true }));
const STEP_MS = 600_000;

function run(what: string, cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: STEP_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 2 ** 20 });
  if (r.error || r.signal) throw new Error(`${what}: ${r.error?.message ?? `killed by ${r.signal} (timed out after ${STEP_MS / 1000} s?)`}\n${r.stderr}`);
  assert.equal(r.status, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const npm = (what: string, args: string[], cwd: string): string => run(what, 'npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);

test(
  'the packed tarball holds only the whitelist, installs into an empty project and works there: API, types, browser bundle, CLI, dashboard',
  { timeout: 1_800_000 },
  async () => {
    npm('npm pack', ['pack', '--ignore-scripts', '--pack-destination', tmp], root);
    const tarball = join(
      tmp,
      readdirSync(tmp).find((f) => f.endsWith('.tgz'))!,
    );
    const listed = run('tar t', 'tar', ['tzf', tarball], tmp)
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    const top = [...new Set(listed.map((f) => f.split('/')[0]!))].sort();
    assert.deepEqual(top, ['LICENSE', 'README.md', 'bin', 'dist', 'native', 'package.json', 'scripts', 'web']);
    assert.ok(listed.includes('dist/index.d.ts') && listed.includes('dist/browser.js') && listed.includes('web/dist/index.html'));
    assert.deepEqual(
      listed.filter((f) => /^(src|test|bench|results)\/|\.tsbuildinfo$|^native\/build\//.test(f)),
      [],
    );

    const consumer = join(tmp, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm('npm install of the tarball', ['install', tarball, '@types/node@20', '--ignore-scripts', '--prefer-offline'], consumer);

    const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
    writeFileSync(
      join(consumer, 'train.js'),
      `
    import { train, generateGraph, drawGraph, graphLayout } from 'randwire';
    const common = { data: ${JSON.stringify(data)}, epochs: 1, valSize: 20, batchSize: 20, testLimit: 40 };
    const tiny = await train({ ...common, model: { model: 'tinycnn' } }, { out: 'runs/tiny' });
    const rw = await train({ ...common, model: { model: 'randwire', nodes: 6, channels: 4 } }, { out: 'runs/rw' });
    const g = generateGraph('ws', 16, { k: 4, p: 0.75 }, 1, 2);
    const svg = await drawGraph(g, graphLayout(g), 'WS');
    console.log(JSON.stringify({ tiny: tiny.kind, rw: rw.kind, svg: svg.startsWith('<?xml') || svg.startsWith('<svg') }));
  `,
    );
    const trained = JSON.parse(run('node train.js (the API from plain Node)', process.execPath, ['train.js'], consumer).trim().split('\n').at(-1)!) as Record<
      string,
      unknown
    >;
    assert.deepEqual(trained, { tiny: 'finished', rw: 'finished', svg: true });

    // A consumer's strict type check, library files included (no skipLibCheck): no type of a dev dependency may leak.
    writeFileSync(
      join(consumer, 'use.ts'),
      `
    import { train, graphStats, generateGraph, isRandwireError, type TrainSettings } from 'randwire';
    import { registerLayers } from 'randwire/browser';
    const settings: TrainSettings = { epochs: 1, model: { model: 'randwire', nodes: 8 } };
    const outcome = await train(settings, { out: 'runs/x', onEpoch: (m) => console.log(m.epoch) });
    const accuracy: number | undefined = outcome.kind === 'finished' ? outcome.summary.testAccuracy : undefined;
    const clustering: number = graphStats(generateGraph('er', 8, { p: 0.3 }, 1, 2)).clustering;
    registerLayers();
    export const seen = [accuracy, clustering, isRandwireError(new Error('x'))];
  `,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
        files: ['use.ts'],
      }),
    );
    // TensorFlow.js's own @webgpu/types clash with TypeScript 6's DOM library; those errors are not ours to judge.
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: consumer,
      encoding: 'utf8',
      timeout: STEP_MS,
      killSignal: 'SIGKILL',
    });
    assert.equal(tsc.signal, null, `tsc was killed (timed out after ${STEP_MS / 1000} s?)`);
    const ours = tsc.stdout.split('\n').filter((l) => /^(use\.ts|node_modules\/randwire\/)/.test(l));
    assert.deepEqual(ours, [], "strict tsc errors in the consumer file or in randwire's declarations");
    assert.ok(tsc.status === 0 || /error TS/.test(tsc.stdout), tsc.stdout + tsc.stderr);

    writeFileSync(
      join(consumer, 'page.js'),
      "import { generateGraph, graphStats } from 'randwire/browser';\ndocument.body.textContent = String(graphStats(generateGraph('ws', 16, { k: 4, p: 0.75 }, 1, 2)).clustering);\n",
    );
    run(
      'esbuild bundle of randwire/browser',
      process.execPath,
      [join(root, 'node_modules/esbuild/bin/esbuild'), 'page.js', '--bundle', '--platform=browser', '--format=esm', '--outfile=bundle.js', '--log-level=error'],
      consumer,
    );
    assert.ok(statSync(join(consumer, 'bundle.js')).size > 0);

    const bin = join(consumer, 'node_modules', '.bin', 'randwire');
    assert.match(run('randwire --help', bin, ['--help'], consumer), /Usage: randwire/);
    assert.ok(existsSync(join(consumer, 'node_modules', 'randwire', 'web', 'dist', 'index.html')));
    const serve = spawn(bin, ['serve', 'runs', '--port', '0'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`randwire serve printed no address within 120 s: ${out}`)), 120_000);
        serve.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/\S+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        serve.stderr.on('data', (d: Buffer) => (out += d.toString()));
        serve.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`randwire serve ended (${code}): ${out}`));
        });
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
    } finally {
      serve.kill('SIGKILL');
    }
  },
);
