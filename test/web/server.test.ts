import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawGet, startDashboard, stopDashboard } from '../helpers/dashboard.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { runCli } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { tempFolder } from '../helpers/folder.js';

const bin = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempFolder('randwire-serve-');
const root = join(tmp, 'root');
mkdirSync(root);
cpSync(join(repo, 'results/mnist-cpu'), join(root, 'mnist-cpu'), { recursive: true });
writeSweepFixture(join(root, 'sweep'), 2, 12);
// A run that is still training: no summary, two epochs so far.
const live = join(root, 'live-run');
cpSync(join(repo, 'results/mnist-cpu/runs/randwire-ws'), live, { recursive: true });
rmSync(join(live, 'summary.json'));
const lines = readFileSync(join(live, 'metrics.jsonl'), 'utf8').trim().split('\n');
writeFileSync(join(live, 'metrics.jsonl'), lines.slice(0, 2).join('\n') + '\n');
writeFileSync(join(tmp, 'secret.txt'), 'outside');
symlinkSync(join(tmp, 'secret.txt'), join(root, 'link-out.txt'));
symlinkSync(tmp, join(root, 'dir-out'));
mkdirSync(join(root, '.hidden'));
writeFileSync(join(root, '.hidden', 'x'), 'hidden');
mkdirSync(join(root, 'odd%25name'));
writeFileSync(join(root, 'odd%25name', 'a.txt'), 'ok');
// A run folder whose config.json is a symlink out of the served folder.
mkdirSync(join(root, 'link-run'));
writeFileSync(join(tmp, 'config.json'), '{}');
symlinkSync(join(tmp, 'config.json'), join(root, 'link-run', 'config.json'));
const { server, url } = await startDashboard(root);
after(() => stopDashboard(server));

const json = async (path: string): Promise<Record<string, unknown>> => {
  const r = await fetch(url + path);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return (await r.json()) as Record<string, unknown>;
};

test('the index finds the results folder, the sweep and the run; each view answers', async () => {
  const index = (await json('/api/index')) as { items: Array<{ kind: string; path: string }> };
  assert.deepEqual(
    index.items.map((i) => `${i.kind}:${i.path}`),
    ['run:link-run', 'run:live-run', 'results:mnist-cpu', 'sweep:sweep'],
  );
  const results = (await json('/api/results?path=mnist-cpu')) as { runs: Array<{ id: string; path: string }> };
  assert.deepEqual(
    results.runs.map((r) => r.id),
    ['alexnet', 'handmadecnn', 'randwire-ba', 'randwire-er', 'randwire-ws', 'tinycnn'],
  );
  const run = (await json(`/api/run?path=${encodeURIComponent(results.runs.at(-1)!.path)}`)) as { summary: unknown; metrics: unknown[] };
  assert.ok(run.summary && run.metrics.length > 0);
  const sweep = (await json('/api/sweep?path=sweep')) as { trials: unknown[]; progress: { total: Record<string, number> }; results: { trials: unknown[] } };
  assert.equal(sweep.trials.length, 40);
  assert.equal(sweep.progress.total.done, 12);
  assert.equal(sweep.results.trials.length, 12);
  const liveRun = (await json('/api/run?path=live-run')) as { summary: unknown; metrics: unknown[]; graphs: unknown[] };
  assert.equal(liveRun.summary, null);
  assert.equal(liveRun.metrics.length, 2);
  assert.equal(liveRun.graphs.length, 3);
});

test('nothing outside the served folder is served: .., encoded .., absolute paths, symlinks out', async () => {
  for (const path of [
    '/files/../secret.txt',
    '/files/%2e%2e/secret.txt',
    '/files/..%2fsecret.txt',
    '/files//etc/passwd',
    '/files/%2Fetc%2Fpasswd',
    '/files/link-out.txt',
    '/files/dir-out/secret.txt',
    '/api/run?path=..',
    '/api/run?path=%2Fetc',
    '/api/sweep?path=dir-out',
    '/../../etc/passwd',
  ]) {
    const r = await rawGet(url, path);
    assert.ok(r.status === 403 || r.status === 404, `${path}: ${r.status} ${r.body}`);
    assert.ok(!r.body.includes('root:x:0') && r.body !== 'outside', `${path} leaked`);
  }
  assert.equal((await rawGet(url, '/files/mnist-cpu/table.md')).status, 200);
  // Hidden files inside the folder are not served either (.git, .ssh when serving a home folder).
  assert.equal((await rawGet(url, '/files/.hidden/x')).status, 403);
  // A folder named with '%' is decoded once, not twice.
  assert.equal((await rawGet(url, '/files/odd%2525name/a.txt')).body, 'ok');
  assert.equal((await fetch(`${url}/api/run?path=${encodeURIComponent('link-run')}`)).status, 403);
  for (const method of ['POST', 'PUT', 'DELETE']) assert.equal((await rawGet(url, '/api/index', method)).status, 405);
});

test('a damaged metrics.jsonl or sweep.db is a one-line answer, and the server goes on', async () => {
  const broken = join(root, 'broken-run');
  const sweep = join(root, 'broken-sweep');
  // Out of the served folder again whatever happens: the next test counts its folders.
  try {
    cpSync(live, broken, { recursive: true });
    writeFileSync(join(broken, 'metrics.jsonl'), '{"epoch":1}\nnot json\n');
    const run = await fetch(`${url}/api/run?path=broken-run`);
    assert.equal(run.status, 400);
    assert.match(await run.text(), /^serve: .*metrics\.jsonl: line 2 is not JSON; the file is damaged$/);
    cpSync(join(root, 'sweep'), sweep, { recursive: true });
    writeFileSync(join(sweep, 'sweep.db'), 'this is not a database, it is plain text long enough to fill a page header '.repeat(20));
    rmSync(join(sweep, 'sweep.db-wal'), { force: true });
    const s = await fetch(`${url}/api/sweep?path=broken-sweep`);
    assert.equal(s.status, 400);
    assert.match(await s.text(), /^sweep: broken-sweep\/sweep\.db is damaged \(.*\); move it aside .*run randwire sweep run broken-sweep again/);
    assert.equal((await fetch(`${url}/api/index`)).status, 200);
  } finally {
    rmSync(broken, { recursive: true, force: true });
    rmSync(sweep, { recursive: true, force: true });
  }
});

test('DNS rebinding: a request for another host name is refused', async () => {
  const { hostname, port } = new URL(url);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/index', headers: { host: `evil.example:${port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 403);
  assert.equal((await fetch(url.replace('127.0.0.1', 'localhost') + '/api/index')).status, 200);
});

test('server-sent events say when a running run writes an epoch', async () => {
  const res = await fetch(`${url}/api/events?path=live-run`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const waitFor = async (what: string, ms: number): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!text.includes(what)) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `no '${what}' within ${ms} ms: ${text}`);
      const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(r, left))]);
      if (chunk && !chunk.done) text += decoder.decode(chunk.value);
    }
  };
  await waitFor('event: ready', 30_000);
  appendFileSync(join(live, 'metrics.jsonl'), lines[2] + '\n');
  await waitFor('event: change', 30_000);
  await reader.cancel();
  assert.equal(((await json('/api/run?path=live-run')) as { metrics: unknown[] }).metrics.length, 3);
});

test('randwire serve: loopback by default, a one-line error for bad folders and ports, a note for a public address', { timeout: 600_000 }, async () => {
  const missing = runCli(['serve', join(tmp, 'nope')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^randwire: .*nope is not a folder\n$/);
  const empty = tempFolder('randwire-empty-');
  assert.match(runCli(['serve', empty]).stderr, /holds no run, results or sweep folder/);
  assert.match(runCli(['serve', root, '--port', '70000']).stderr, /--port.*0-65535/);
  for (const [host, note] of [
    ['127.0.0.1', false],
    ['0.0.0.0', true],
  ] as const) {
    const child = spawn(process.execPath, [bin, 'serve', root, '--port', '0', '--host', host], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('\n')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.match(out, new RegExp(`^serving 4 folders of .* at http://${host.replace(/\./g, '\\.')}:\\d+/ \\(Ctrl-C to stop\\)\n$`));
    assert.equal(/not loopback/.test(err), note, err);
  }
});
