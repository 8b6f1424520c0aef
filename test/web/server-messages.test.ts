import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDashboard, stopDashboard } from '../helpers/dashboard.js';
import { tempFolder } from '../helpers/folder.js';
import { relativeToRoot } from '../../src/server/messages.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

test("the server's error answers name paths relative to the served folder, never where it lies on the machine", async () => {
  const tmp = tempFolder('randwire-server-messages-');
  const real = join(tmp, 'served');
  mkdirSync(real);
  const run = join(real, 'broken-run');
  cpSync(join(repo, 'results/mnist-cpu/runs/randwire-ws'), run, { recursive: true });
  writeFileSync(join(run, 'metrics.jsonl'), '{"epoch":1}\nnot json\n');
  // Served through a symbolic link: neither the link's path nor the real one may show.
  const link = join(tmp, 'link');
  symlinkSync(real, link);
  const d = await startDashboard(link);
  try {
    const r = await fetch(`${d.url}/api/run?path=broken-run`);
    assert.equal(r.status, 400);
    const body = await r.text();
    assert.match(body, /^serve: broken-run\/metrics\.jsonl: line 2 is not JSON; the file is damaged$/);
    assert.ok(!body.includes(tmp), body);
    const missing = await fetch(`${d.url}/api/run?path=nope`);
    assert.equal(missing.status, 404);
    assert.ok(!(await missing.text()).includes(tmp));
  } finally {
    await stopDashboard(d.server);
  }
  assert.equal(relativeToRoot('/srv/a/b/x.json and /srv/a/b', '/srv/a/b'), 'x.json and .');
  assert.equal(relativeToRoot('/data/real/x and /home/u/link/y', '/data/real', '/home/u/link'), 'x and y');
});
