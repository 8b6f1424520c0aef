import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkipReason, newPage, openView, waitInPage } from '../helpers/browser.js';
import { openDashboard } from '../helpers/dashboard.js';
import { writeEvolutionFixture, writeHalvingFixture } from '../helpers/search-fixture.js';
import { tempFolder } from '../helpers/folder.js';

const skip = browserSkipReason();
if (skip) console.log(`# search dashboard browser tests skipped: ${skip}`);
const tmp = tempFolder('randwire-search-dashboard-');
const root = join(tmp, 'root');
let browser: Browser;
let url = '';
let close: () => Promise<void> = async () => {};

before(async () => {
  if (skip) return;
  mkdirSync(root);
  // A halving search 5 results in (rung 0 of its first bracket, nothing finished yet) and a finished evolution.
  writeHalvingFixture(join(root, 'halving'), 'halving', 3, 5);
  writeEvolutionFixture(join(root, 'evolution'));
  ({ url, browser, close } = await openDashboard(root));
});
after(async () => {
  await close();
});

const rowsOf = (id: string) => `document.querySelectorAll('#${id} tbody tr').length`;

test('a running halving search: the anytime curve and rung table show, and move when results and a finished trial arrive', { skip }, async () => {
  const { page, errors } = await newPage(browser);
  await openView(page, `${url}/#/sweep?path=halving`);
  await waitInPage(page, 'the anytime curve was drawn', () => document.querySelector('#anytime svg') !== null);
  assert.equal(await page.locator('#anytime').getAttribute('data-points'), '5');
  assert.equal(await page.evaluate(rowsOf('rungs')), 3);
  assert.deepEqual(
    await page
      .locator('#rungs tbody tr')
      .first()
      .locator('td')
      .allInnerTexts()
      .then((t) => t.slice(0, 8)),
    ['0', '0', '1', '7', '7', '5', '0', '0'],
  );
  assert.match(await page.locator('#search-summary').innerText(), /^halving: 5 epochs trained/);
  assert.equal(await page.locator('#pareto').getAttribute('data-front'), '0', 'no trial has finished');
  assert.ok((await page.locator('#lineage').count()) === 1 && !(await page.locator('#lineage').isVisible()), 'no lineage for a halving search');
  // The search goes on: rung 0 decided, the promoted trials trained to the top rung and finished.
  writeHalvingFixture(join(root, 'halving'), 'halving', 3, 9);
  await waitInPage(page, 'the new results showed without a reload', () => document.getElementById('anytime')!.dataset.points === '9');
  const first = await page.locator('#rungs tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual(first.slice(5, 8), ['7', '2', '5']);
  await waitInPage(
    page,
    'the finished trials showed on the Pareto front',
    () => Number(document.getElementById('pareto')!.dataset.front) > 0 && document.querySelector('#pareto svg') !== null,
  );
  assert.deepEqual(errors, []);
});

test('an evolution search: lineage, generations and the Pareto front from the API', { skip }, async () => {
  const { page, errors } = await newPage(browser);
  await openView(page, `${url}/#/sweep?path=evolution`);
  await waitInPage(
    page,
    'the lineage figure and the Pareto front were drawn',
    () => document.querySelector('#lineage-chart svg') !== null && document.querySelector('#pareto svg') !== null,
  );
  assert.equal(await page.evaluate(rowsOf('lineage')), 6);
  const generations = await page.locator('#generations thead th').allInnerTexts();
  assert.deepEqual(generations.slice(0, 6), ['generation', 'trials', 'with a result', 'mean validation accuracy', 'best', 'edges']);
  assert.equal(await page.locator('#generations tbody tr').first().locator('td').nth(1).innerText(), '8');
  assert.match(await page.locator('#lineage tbody tr').first().innerText(), /stage 0 (add-edge|remove-edge|move-head|move-tail)/);
  assert.ok(!(await page.locator('#rungs').isVisible()), 'no rung table without rungs');
  assert.match(await page.locator('#search-summary').innerText(), /^evolution: 42 epochs trained/);
  assert.deepEqual(errors, []);
});
