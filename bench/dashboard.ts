/**
 * How fast the dashboard draws a sweep of 2,000 trials (not a test: the figures depend on the
 * machine and its load, so test/web/dashboard.test.ts only prints them):
 *   npm run bench:dashboard [-- --rounds 5]
 * Prints the first render after a page reload, the median of route changes (the server's plan
 * cache and the browser's code cache warm) and a sort + filter, in milliseconds, as one JSON line.
 * Needs chromium (apt-get install -y chromium) and the built web app (npm run build:web).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { browserSkipReason, launchBrowser, newPage, openView } from '../test/helpers/browser.js';
import { startDashboard, stopDashboard } from '../test/helpers/dashboard.js';
import { writeSweepFixture } from '../test/helpers/sweep-fixture.js';
import { median } from './cases.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number of at least 1, got ${values.rounds}`);
const missing = browserSkipReason();
if (missing) throw new Error(missing);

const tmp = mkdtempSync(join(tmpdir(), 'randwire-bench-dashboard-'));
mkdirSync(join(tmp, 'sweep'));
writeSweepFixture(join(tmp, 'sweep'), 100);
const dashboard = await startDashboard(join(tmp, 'sweep'));
const browser = await launchBrowser();
try {
  const { page } = await newPage(browser);
  const sweep = `${dashboard.url}/#/sweep?path=`;
  await openView(page, sweep);
  const routeChanges: number[] = [];
  const firstRenders: number[] = [];
  const sortFilter: number[] = [];
  for (let i = 0; i < rounds; i++) {
    routeChanges.push(await openView(page, `${sweep}&r=${i}`));
    firstRenders.push(await openView(page, `${dashboard.url}/?cold=${i}#/sweep?path=`));
    const t0 = Date.now();
    await page.click('#trials th:text("graph seed")');
    await page.fill('input[type=search]', 'ws(k=4');
    sortFilter.push(Date.now() - t0);
  }
  console.log(
    JSON.stringify({ trials: 2000, rounds, firstRenderMs: median(firstRenders), routeChangeMs: median(routeChanges), sortFilterMs: median(sortFilter) }),
  );
} finally {
  await browser.close();
  await stopDashboard(dashboard.server);
  rmSync(tmp, { recursive: true, force: true });
}
