import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkipReason, newPage, openView } from '../helpers/browser.js';
import { openDashboard, trainTinyRandwire } from '../helpers/dashboard.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { flipWeightsByte, makeWeightsNaN } from '../helpers/tampered-model.js';
import { tempFolder } from '../helpers/folder.js';

// The playground makes the checks of `randwire eval` and `predict`: weights.bin must match the
// SHA-256 in model.json, and the outputs must be finite; otherwise one line, and no probabilities.
const skip = browserSkipReason();
if (skip) console.log(`# playground check tests skipped: ${skip}`);
const tmp = tempFolder('randwire-playground-');
const root = join(tmp, 'root');
let browser: Browser;
let url = '';
let close: () => Promise<void> = async () => {};

before(async () => {
  if (skip) return;
  mkdirSync(root);
  const data = writeTinyMnist(join(tmp, 'data'), 200, 20);
  const good = join(root, 'good');
  trainTinyRandwire(data, good);
  cpSync(good, join(root, 'tampered'), { recursive: true });
  flipWeightsByte(join(root, 'tampered', 'model'));
  cpSync(good, join(root, 'nan'), { recursive: true });
  makeWeightsNaN(join(root, 'nan', 'model'));
  ({ url, browser, close } = await openDashboard(root));
});
after(async () => {
  await close();
  rmSync(tmp, { recursive: true, force: true });
});

test(
  'the playground refuses a tampered weights.bin and a model with NaN outputs in one line, and still serves a sound model',
  { skip, timeout: 120_000 },
  async () => {
    const { page } = await newPage(browser);
    const refusals: Array<[string, RegExp]> = [
      ['tampered', /^weights\.bin of tampered\/model is damaged: its SHA-256 differs from the one recorded in model\.json$/],
      ['nan', /^model: nan\/model gives NaN outputs: its weights are damaged or training diverged$/],
    ];
    for (const [path, message] of refusals) {
      await openView(page, `${url}/#/play?path=${path}&r=${path}`);
      assert.match(await page.locator('.error').innerText(), message);
      assert.equal(await page.locator('#probabilities').count(), 0, `${path}: no probabilities`);
      assert.equal(await page.locator('canvas.pad').count(), 0, `${path}: no drawing pad`);
    }
    await openView(page, `${url}/#/play?path=good`);
    assert.equal(await page.locator('.error').count(), 0);
    const box = (await page.locator('canvas.pad').boundingBox())!;
    await page.mouse.move(box.x + 140, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 230, { steps: 12 });
    await page.mouse.up();
    const probs = JSON.parse((await page.locator('#probabilities').getAttribute('data-probabilities'))!) as number[];
    assert.ok(probs.every(Number.isFinite) && Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4, JSON.stringify(probs));
  },
);
