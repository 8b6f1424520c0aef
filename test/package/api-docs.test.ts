import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { folderSnapshot, tempFolder } from '../helpers/folder.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempFolder('randwire-api-docs-');
after(() => rmSync(tmp, { recursive: true, force: true }));

test('docs/api is what TypeDoc makes of the sources now (npm run docs:api), and every exported function has its JSDoc', { timeout: 600_000 }, () => {
  const out = join(tmp, 'api');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', out, '--validation.notDocumented'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(r.status, 0, `typedoc failed (timed out after 600 s if killed): ${r.stdout}${r.stderr}`);
  const undocumented = (r.stdout + r.stderr).split('\n').filter((l) => /\(CallSignature\).*does not have any documentation/.test(l));
  assert.deepEqual(undocumented, [], 'exported functions without JSDoc');
  assert.deepEqual(folderSnapshot(out), folderSnapshot(join(root, 'docs', 'api')), 'docs/api is stale: run npm run docs:api');
});
