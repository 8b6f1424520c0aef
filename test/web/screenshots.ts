// The README's screenshots of the dashboard, taken with the browser tests' helpers:
//   npm run screenshots            (writes docs/images/dashboard-*.png)
// Serves the repository's results/ (the committed sweep-wiring and mnist-cpu folders).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserSkipReason, launchBrowser, newPage, openView } from '../helpers/browser.js';
import { startDashboard, stopDashboard } from '../helpers/dashboard.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const out = process.argv[2] ?? join(repo, 'docs/images');
const skip = browserSkipReason();
if (skip) {
  console.error(`screenshots: ${skip}`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const model = 'mnist-cpu/runs/randwire-ws';
if (!existsSync(join(repo, 'results', model, 'model/model.json'))) {
  console.error(`screenshots: results/${model}/model is missing; the playground needs a trained model`);
  process.exit(1);
}
const browser = await launchBrowser();
const { server, url } = await startDashboard(join(repo, 'results'));
try {
  const { page, errors } = await newPage(browser);
  const shot = async (name: string, route: string, act?: () => Promise<void>): Promise<void> => {
    await openView(page, `${url}/${route}`);
    await act?.();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `dashboard-${name}.png`) });
    console.log(`wrote ${join(out, `dashboard-${name}.png`)}`);
  };
  await shot('sweep', '#/sweep?path=sweep-wiring', async () => {
    // The figures, below the progress bar and the cell table.
    await page.locator('#strip').evaluate((el) => el.closest('.two')!.scrollIntoView());
  });
  await shot('run', `#/run?path=${encodeURIComponent(model)}`, async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
  });
  await shot('explorer', '#/graphs?generator=ws&nodes=32&seed=1&k=4&p=0.75');
  await shot('playground', `#/play?path=${encodeURIComponent(model)}`, async () => {
    // A "7" drawn with the mouse.
    const box = (await page.locator('canvas.pad').boundingBox())!;
    await page.mouse.move(box.x + 70, box.y + 60);
    await page.mouse.down();
    for (const [x, y] of [
      [210, 60],
      [120, 240],
    ] as const)
      await page.mouse.move(box.x + x, box.y + y, { steps: 12 });
    await page.mouse.up();
    await page.waitForSelector('#probabilities');
  });
  if (errors.length) throw new Error(`console errors: ${errors.join('; ')}`);
} finally {
  await stopDashboard(server);
  await browser.close();
}
