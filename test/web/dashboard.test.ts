import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { browserSkipReason, newPage, openView, waitInPage } from '../helpers/browser.js';
import { openDashboard, startDashboard, stopDashboard, trainTinyRandwire } from '../helpers/dashboard.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { runCli } from '../helpers/cli.js';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { loadIdxDirectory } from '../../src/data/idx-files.js';
import { writeGreyPng } from '../../src/data/png.js';
import { GENERATORS, generateGraph } from '../../src/graph/generators.js';
import { flagOf } from '../../src/core/parse.js';
import { SweepStore } from '../../src/sweep/store.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { tempFolder } from '../helpers/folder.js';

const skip = browserSkipReason();
if (skip) console.log(`# dashboard browser tests skipped: ${skip}`);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempFolder('randwire-dashboard-');
const root = join(tmp, 'root');
const live = join(root, 'live-run');
const tiny = join(root, 'tiny-run');
let liveLines: string[] = [];
let browser: Browser;
let url = '';
let close: () => Promise<void> = async () => {};

before(async () => {
  if (skip) return;
  mkdirSync(root);
  cpSync(join(repo, 'results/mnist-cpu'), join(root, 'mnist-cpu'), { recursive: true });
  writeSweepFixture(join(root, 'sweep'), 2, 12);
  cpSync(join(repo, 'results/mnist-cpu/runs/randwire-ws'), live, { recursive: true });
  rmSync(join(live, 'summary.json'), { force: true });
  rmSync(join(live, 'model'), { recursive: true, force: true });
  liveLines = readFileSync(join(live, 'metrics.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(join(live, 'metrics.jsonl'), liveLines.slice(0, 2).join('\n') + '\n');
  const data = writeTinyMnist(join(tmp, 'data'), 300, 40);
  trainTinyRandwire(data, tiny);
  ({ url, browser, close } = await openDashboard(root));
});
after(async () => {
  await close();
});

test('every kind of folder and page loads without console errors', { skip }, async () => {
  const { page, errors } = await newPage(browser);
  const views: Array<[string, string]> = [
    ['home', '/#/'],
    ['results', '/#/results?path=mnist-cpu'],
    ['run', '/#/run?path=mnist-cpu%2Fruns%2Frandwire-ws'],
    ['sweep', '/#/sweep?path=sweep'],
    ['sweep trial', '/#/run?path=sweep%2Ftrials%2Fnone'],
    ['explorer', '/#/graphs'],
    ['playground', '/#/play?path=tiny-run'],
  ];
  for (const [name, path] of views) {
    await openView(page, url + path);
    const shown = await page.locator('#app').innerText();
    if (name === 'sweep trial') assert.match(shown, /404|not found|not a run/i, 'a missing trial folder says so');
    else assert.doesNotMatch(shown, /^(no page|.*: \d{3} )/m, `${name}: ${shown.slice(0, 200)}`);
  }
  assert.deepEqual(
    errors.filter((e) => !/404/.test(e)),
    [],
  );
  // The README's minimal example page, on the same server.
  await page.goto(`${url}/examples/predict.html?model=/files/tiny-run/model/model.json`);
  await waitInPage(page, 'the example page printed 10 probabilities', () => document.getElementById('out')!.textContent!.split('\n').length === 10);
  assert.deepEqual(
    errors.filter((e) => !/404/.test(e)),
    [],
  );
});

test('a running run: appending an epoch to metrics.jsonl moves the curve without a reload', { skip }, async (t) => {
  const { page, errors } = await newPage(browser);
  await openView(page, `${url}/#/run?path=live-run`);
  await page.waitForFunction(() => document.body.querySelector('.live.on') !== null);
  assert.equal(await page.locator('#curves').getAttribute('data-points'), '2');
  const t0 = Date.now();
  appendFileSync(join(live, 'metrics.jsonl'), liveLines[2] + '\n');
  await waitInPage(page, 'the curve showed the appended epoch', () => document.getElementById('curves')!.dataset.points === '3');
  t.diagnostic(`curve moved ${Date.now() - t0} ms after the line was written`);
  assert.deepEqual(errors, []);
});

test('a running sweep: a trial that finishes shows up without a reload', { skip }, async () => {
  const { page, errors } = await newPage(browser);
  await openView(page, `${url}/#/sweep?path=sweep`);
  assert.match(await page.locator('#sweep-counts').innerText(), /^12 of 40 trials done/);
  const store = SweepStore.open(join(root, 'sweep', 'sweep.db'));
  const next = store.trials().find((t) => t.status === 'queued')!;
  store.claim(next.id, process.pid);
  store.finish(
    next.id,
    { testAccuracy: 0.9, testLoss: 0.1, validationAccuracy: 0.9, validationLoss: 0.1, epochs: 3, seconds: 1, trainImagesPerSec: 1 } as RunSummary,
    [],
  );
  store.close();
  await waitInPage(page, "the finished trial showed in the sweep's counts", () =>
    /^13 of 40 trials done/.test(document.getElementById('sweep-counts')!.textContent!),
  );
  assert.deepEqual(errors, []);
});

test("the graph explorer's edges for a seed equal the CLI's", { skip }, async () => {
  const { page, errors } = await newPage(browser);
  // Every family against the library in this process; four of them (one with a camelCase
  // parameter) and the page's own command line against the real CLI, which costs a process each.
  const viaCli = new Set(['ws', 'er', 'ba', 'sbm']);
  const cases = Object.entries(GENERATORS).map(([name, spec], i) => ({
    name,
    nodes: 10 + i,
    seed: 3 + 7 * i,
    params: Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.default])),
  }));
  for (const c of cases) {
    const q = new URLSearchParams({
      generator: c.name,
      nodes: String(c.nodes),
      seed: String(c.seed),
      ...Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, String(v)])),
    });
    await openView(page, `${url}/#/graphs?${q}`);
    const shown = JSON.parse((await page.locator('#graph-json').textContent())!) as { edges: number[][] };
    assert.deepEqual(shown.edges, generateGraph(c.name, c.nodes, c.params, c.seed, LATEST_SEEDING).edges, c.name);
    if (!viaCli.has(c.name)) continue;
    const cli = runCli([
      'graph',
      c.name,
      '--nodes',
      String(c.nodes),
      '--seed',
      String(c.seed),
      '--json',
      ...Object.entries(c.params).flatMap(([k, v]) => [flagOf(k), String(v)]),
    ]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(shown.edges, (JSON.parse(cli.stdout) as { edges: number[][] }).edges, c.name);
    if (c.name === 'sbm') {
      // The command line the page shows makes the same graph.
      const line = (await page.locator('#cli-line').textContent())!.split(' ').slice(1);
      assert.deepEqual((JSON.parse(runCli([...line, '--json']).stdout) as { edges: number[][] }).edges, shown.edges, line.join(' '));
    }
  }
  // Changing a control regenerates in the page; a bad value is a one-line message, not a crash.
  await openView(page, `${url}/#/graphs?generator=ws&nodes=16&seed=1`);
  await page.fill('input[name=seed]', '2');
  await page.waitForFunction(() => location.hash.includes('seed=2'));
  await page.fill('input[name=k]', '3');
  assert.match(await page.locator('.error').innerText(), /k .*must be even/);
  assert.deepEqual(errors, []);
});

test("the playground's probabilities for test images equal randwire predict's within 1e-4", { skip }, async () => {
  const images = loadIdxDirectory(join(tmp, 'data')).test;
  const files = [0, 1, 2].map((i) => {
    const f = join(tmp, `digit-${i}.png`);
    writeFileSync(f, writeGreyPng(images.images.subarray(i * 784, (i + 1) * 784), 28, 28));
    return f;
  });
  const cli = runCli(['predict', tiny, ...files, '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  const expected = cli.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { probabilities: number[] }).probabilities);
  const { page, errors } = await newPage(browser);
  await openView(page, `${url}/#/play?path=tiny-run`);
  for (const [i, f] of files.entries()) {
    await page.evaluate(() => document.getElementById('probabilities')?.remove());
    await page.setInputFiles('#image-file', f);
    const got = JSON.parse((await page.locator('#probabilities').getAttribute('data-probabilities'))!) as number[];
    assert.equal(got.length, 10);
    got.forEach((p, k) => assert.ok(Math.abs(p - expected[i]![k]!) <= 1e-4, `image ${i}, class ${k}: browser ${p}, predict ${expected[i]![k]}`));
  }
  // A digit drawn with the mouse gets probabilities too.
  await page.click('button:text("clear")');
  const box = (await page.locator('canvas.pad').boundingBox())!;
  await page.mouse.move(box.x + 140, box.y + 50);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 230, { steps: 12 });
  await page.mouse.up();
  const drawn = JSON.parse((await page.locator('#probabilities').getAttribute('data-probabilities'))!) as number[];
  assert.ok(Math.abs(drawn.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.deepEqual(errors, []);
});

// How fast these are is measured by `npm run bench:dashboard` (bench/dashboard.ts); here only the
// figures are printed, since the machine that runs the tests is shared.
test('a sweep of 2,000 trials: renders, sorts and filters every trial', { skip }, async (t) => {
  const big = join(tmp, 'big');
  mkdirSync(big);
  writeSweepFixture(join(big, 'sweep'), 100);
  const d = await startDashboard(join(big, 'sweep'));
  try {
    const { page, errors } = await newPage(browser);
    // Warm the server's plan cache and the browser's code cache once, as a second visit would be.
    await openView(page, `${d.url}/#/sweep?path=`);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await openView(page, `${d.url}/#/sweep?path=&r=${i}`));
    const first = await openView(page, `${d.url}/?cold#/sweep?path=`);
    const median = [...times].sort((a, b) => a - b)[1]!;
    assert.match(await page.locator('#sweep-counts').innerText(), /^2000 of 2000 trials done/);
    const t0 = Date.now();
    await page.click('#trials th:text("graph seed")');
    await page.fill('input[type=search]', 'ws(k=4');
    const interact = Date.now() - t0;
    assert.match(await page.locator('.toolbar .muted').first().innerText(), /^400 of 2000 trials$/);
    t.diagnostic(
      `2,000-trial sweep: first render ${first} ms after a page reload, ${median} ms median of 3 route changes; sort + filter ${interact} ms (not asserted: npm run bench:dashboard)`,
    );
    assert.deepEqual(errors, []);
  } finally {
    await stopDashboard(d.server);
  }
});
