import { request, type Server } from 'node:http';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { dashboardServer } from '../../src/server/serve.js';
import { launchBrowser } from './browser.js';
import { runCli } from './cli.js';

/** The dashboard's server over `root` on a free loopback port; close it with server.close(). */
export async function startDashboard(root: string): Promise<{ server: Server; url: string }> {
  const server = dashboardServer(root);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

export async function stopDashboard(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A request sent with its path exactly as written (fetch and URL would normalise `..` away). */
export function rawGet(url: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A dashboard over `root` and a browser to look at it; `close` ends both. */
export async function openDashboard(root: string): Promise<{ url: string; browser: Browser; close: () => Promise<void> }> {
  const d = await startDashboard(root);
  const browser = await launchBrowser();
  return {
    url: d.url,
    browser,
    close: async () => {
      await browser.close();
      await stopDashboard(d.server);
    },
  };
}

/** The browser tests' small RandWire run (6 nodes, 4 channels, 1 epoch on wasm) in `out`. */
export function trainTinyRandwire(data: string, out: string): void {
  const r = runCli(
    [
      'train',
      '--model',
      'randwire',
      '--nodes',
      '6',
      '--channels',
      '4',
      '--data',
      data,
      '--epochs',
      '1',
      '--batch-size',
      '50',
      '--val-size',
      '50',
      '--backend',
      'wasm',
      '--out',
      out,
    ],
    { timeoutMs: 300_000 },
  );
  assert.equal(r.status, 0, r.stderr);
}
