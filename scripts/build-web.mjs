#!/usr/bin/env node
// Builds the dashboard into web/dist (npm ci runs this through `prepare`, so `randwire serve`
// works right after install). Built, not committed: the bundle (about 3 MB) would go stale with
// every source change. Without Vite (an install with --omit=dev) it says so and leaves the
// dashboard unbuilt; `randwire serve` then says how to build it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
if (!existsSync(vite)) {
  console.error('build-web: vite is not installed (dev dependencies omitted); the dashboard is not built. Run `npm install && npm run build:web` to build it.');
  process.exit(0);
}
const r = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
