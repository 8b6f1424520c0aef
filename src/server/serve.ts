import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isRandwireError } from '../core/errors.js';
import { RUN_FILES } from '../experiment/run-files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { runView, resultsView, sweepView } from './api.js';
import { findItems, folderKind } from './folders.js';
import { decodePath, HttpError, resolveInside } from './safe-path.js';
import { relativeToRoot } from './messages.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** The built dashboard (web/dist), served at /. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const EVENT_POLL_MS = 500;
/** Host headers of loopback requests: localhost, 127.x.y.z and [::1], with or without a port. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/** Served pages may only talk to this server, and nothing may frame them. */
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendFile(res: ServerResponse, file: string, headers: Record<string, string> = {}): void {
  if (!statSync(file).isFile()) throw new HttpError(404, 'not a file');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  // pipeline closes the file when the client goes away, and a read error ends only this answer.
  pipeline(createReadStream(file), res, () => undefined);
}

/** What changes when a run or sweep moves on: metrics.jsonl grows, the sweep's WAL is written. */
function signature(dir: string): string {
  const files = [RUN_FILES.metrics, RUN_FILES.summary, SWEEP_FILES.db, `${SWEEP_FILES.db}-wal`].map((f) => join(dir, f));
  // A file may vanish between two looks (SQLite deletes the WAL when the sweep closes it).
  return files
    .map((f) => {
      const st = statSync(f, { throwIfNoEntry: false });
      return st ? `${st.size}:${st.mtimeMs}` : '-';
    })
    .join('|');
}

/** Server-sent events: `change` whenever the folder's signature moves (polled; fs.watch misses WAL writes). */
function streamChanges(req: IncomingMessage, res: ServerResponse, dir: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  let last = signature(dir);
  res.write(`event: ready\ndata: {}\n\n`);
  const timer = setInterval(() => {
    try {
      const now = signature(dir);
      if (now !== last) {
        last = now;
        res.write(`event: change\ndata: {}\n\n`);
      }
    } catch {
      clearInterval(timer);
      res.end();
    }
  }, EVENT_POLL_MS);
  req.on('close', () => clearInterval(timer));
}

/**
 * The dashboard's server: the built web app, JSON views of the runs, results and sweeps under
 * `root`, their files, and change events. Read only; nothing outside `root` (or web/dist) is served.
 */
export function dashboardServer(root: string, o: { anyHost?: boolean } = {}): Server {
  const realRoot = realpathSync(root);
  return createServer((req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'read only');
      // DNS rebinding: a page elsewhere may point its own name at 127.0.0.1; only loopback names
      // are answered unless the server was put on the network on purpose (--host).
      if (!o.anyHost && !LOOPBACK_HOST.test(req.headers.host ?? '')) throw new HttpError(403, 'this server answers only requests for localhost');
      const url = new URL(req.url ?? '/', 'http://localhost');
      // URLSearchParams has decoded it already.
      const path = url.searchParams.get('path') ?? '';
      const inside = (): string => resolveInside(realRoot, path);
      switch (url.pathname) {
        case '/api/index':
          return sendJson(res, { root: realRoot.split(/[\\/]/).pop(), items: findItems(realRoot) });
        case '/api/run':
          return sendJson(res, runView(realRoot, inside(), path));
        case '/api/results':
          return sendJson(res, resultsView(realRoot, inside(), path));
        case '/api/sweep':
          return sendJson(res, sweepView(realRoot, inside(), path));
        case '/api/events': {
          const dir = inside();
          if (!folderKind(dir)) throw new HttpError(404, 'not a run or sweep folder');
          return streamChanges(req, res, dir);
        }
      }
      // The folder's own files run nothing on the dashboard's origin (an SVG or HTML could hold script).
      if (url.pathname.startsWith('/files/'))
        return sendFile(res, resolveInside(realRoot, decodePath(url.pathname.slice('/files/'.length))), { 'content-security-policy': 'sandbox' });
      if (!existsSync(WEB_DIST)) throw new HttpError(404, 'the dashboard is not built (web/dist is missing)');
      const page = url.pathname === '/' ? 'index.html' : decodePath(url.pathname.slice(1));
      return sendFile(res, resolveInside(realpathSync(WEB_DIST), page));
    } catch (e) {
      const status = e instanceof HttpError ? e.status : isRandwireError(e) ? 400 : 500;
      if (!res.headersSent) res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(e instanceof HttpError || isRandwireError(e) ? relativeToRoot(e.message, realRoot, root) : 'internal error');
      if (status === 500) process.stderr.write(`randwire: serve: ${req.url}: ${(e as Error).message}\n`);
    }
  });
}
