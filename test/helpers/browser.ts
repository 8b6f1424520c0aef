import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium binary; /usr/bin/chromium is a wrapper script that prints a shell error under playwright. */
export const CHROMIUM = process.env.RANDWIRE_CHROMIUM ?? '/usr/lib/chromium/chromium';

/**
 * Why the browser tests cannot run here, or undefined when they can. Where CI installed chromium
 * (RANDWIRE_REQUIRE_CHROMIUM=1) a missing browser is a failure, not a skip.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.RANDWIRE_REQUIRE_CHROMIUM === '1') throw new Error(`RANDWIRE_REQUIRE_CHROMIUM=1 but ${why}`);
  return why;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions, for the "loads without errors" checks. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/**
 * How long a page may take to show what a test waits for: generous, since the machine is shared
 * (a first render of 1 s took 3.5 s under load). How fast it is belongs to `npm run bench:dashboard`.
 */
export const PAGE_TIMEOUT_MS = 60_000;

/** Wait until `check` holds in the page; a timeout is an error that names what was awaited. */
export async function waitInPage(page: Page, what: string, check: () => boolean): Promise<void> {
  try {
    await page.waitForFunction(check, undefined, { timeout: PAGE_TIMEOUT_MS });
  } catch (e) {
    throw new Error(`timed out after ${PAGE_TIMEOUT_MS / 1000} s waiting until ${what} (${page.url()}): ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
}

/** Open a dashboard route and wait until its view says it is drawn; returns the milliseconds it took. */
export async function openView(page: Page, url: string): Promise<number> {
  const t0 = Date.now();
  await page.goto(url, { timeout: PAGE_TIMEOUT_MS });
  await waitInPage(page, 'the view said it was drawn', () => document.body.dataset.ready === 'true');
  return Date.now() - t0;
}
