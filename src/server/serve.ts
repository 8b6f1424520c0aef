import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRandwireError } from '../core/errors.js';
import { RUN_FILES } from '../experiment/run-files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { runView, resultsView, sweepView } from './api.js';
import { findItems, folderKind } from './folders.js';
import { HttpError, resolveInside } from './safe-path.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.jsonl': 'application/x-ndjson; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.csv': 'text/csv; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** The built dashboard (web/dist), served at /. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const EVENT_POLL_MS = 500;

/** Served pages may only talk to this server, and nothing may frame them. */
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendFile(res: ServerResponse, file: string): void {
  if (!statSync(file).isFile()) throw new HttpError(404, 'not a file');
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}

/** What changes when a run or sweep moves on: metrics.jsonl grows, the sweep's WAL is written. */
function signature(dir: string): string {
  const files = [RUN_FILES.metrics, RUN_FILES.summary, SWEEP_FILES.db, `${SWEEP_FILES.db}-wal`].map((f) => join(dir, f));
  return files.map((f) => (existsSync(f) ? `${statSync(f).size}:${statSync(f).mtimeMs}` : '-')).join('|');
}

/** Server-sent events: `change` whenever the folder's signature moves (polled; fs.watch misses WAL writes). */
function streamChanges(req: IncomingMessage, res: ServerResponse, dir: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  let last = signature(dir);
  res.write(`event: ready\ndata: {}\n\n`);
  const timer = setInterval(() => {
    const now = signature(dir);
    if (now !== last) {
      last = now;
      res.write(`event: change\ndata: {}\n\n`);
    }
  }, EVENT_POLL_MS);
  req.on('close', () => clearInterval(timer));
}

/**
 * The dashboard's server: the built web app, JSON views of the runs, results and sweeps under
 * `root`, their files, and change events. Read only; nothing outside `root` (or web/dist) is served.
 */
export function dashboardServer(root: string): Server {
  const realRoot = realpathSync(root);
  return createServer((req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'read only');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.searchParams.get('path') ?? '';
      const inside = (): string => resolveInside(realRoot, path);
      switch (url.pathname) {
        case '/api/index':
          return sendJson(res, { root: realRoot.split(/[\\/]/).pop(), items: findItems(realRoot) });
        case '/api/run':
          return sendJson(res, runView(inside(), path));
        case '/api/results':
          return sendJson(res, resultsView(inside(), path));
        case '/api/sweep':
          return sendJson(res, sweepView(inside(), path));
        case '/api/events': {
          const dir = inside();
          if (!folderKind(dir)) throw new HttpError(404, 'not a run or sweep folder');
          return streamChanges(req, res, dir);
        }
      }
      if (url.pathname.startsWith('/files/')) return sendFile(res, resolveInside(realRoot, url.pathname.slice('/files/'.length)));
      if (!existsSync(WEB_DIST)) throw new HttpError(404, 'the dashboard is not built (web/dist is missing)');
      const page = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      return sendFile(res, resolveInside(realpathSync(WEB_DIST), page));
    } catch (e) {
      const status = e instanceof HttpError ? e.status : isRandwireError(e) ? 400 : 500;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(e instanceof HttpError || isRandwireError(e) ? e.message : 'internal error');
      if (status === 500) process.stderr.write(`randwire: serve: ${(e as Error).stack ?? String(e)}\n`);
    }
  });
}
