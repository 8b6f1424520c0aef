import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;

/** Every module the browser entry loads (type-only imports are erased and skipped), with what each imports. */
function importGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const specs: string[] = [];
    seen.set(file, specs);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (m[1]) continue;
      const spec = m[2]!;
      specs.push(spec);
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        assert.ok(existsSync(target), `${relative(root, file)} imports ${spec}, which does not exist`);
        visit(target);
      }
    }
  };
  visit(entry);
  return seen;
}

test('the browser entry imports no node:* module, no Node built-in, no file or addon code', () => {
  const graph = importGraph(join(root, 'src/browser.ts'));
  assert.ok(graph.size > 20, `walked only ${graph.size} modules`);
  const builtins = new Set(builtinModules);
  const bad: string[] = [];
  // The addon's kernel names are plain constants (the layers call kernels by name); nothing else of backend/.
  const pure = new Set(['src/backend/native/kernel-names.ts', '../backend/native/kernel-names.js']);
  for (const [file, specs] of graph) {
    const rel = relative(root, file);
    if (pure.has(rel)) continue;
    for (const s of specs)
      if (pure.has(s)) continue;
      else if (s.startsWith('node:') || builtins.has(s) || /native|better-sqlite3|bullmq|ioredis|pngjs|@resvg/.test(s)) bad.push(`${rel} imports ${s}`);
    if (/^src\/(io|backend|cli|server|sweep\/(store|folder|local)|queue)\//.test(rel)) bad.push(`${rel} is Node-only`);
  }
  assert.deepEqual(bad, []);
});

test('package.json exports the browser entry as randwire/browser, and it loads', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, { default: string }> };
  assert.equal(pkg.exports['./browser']?.default, './dist/browser.js');
  const lib = (await import(`${pkg.name}/browser`)) as typeof import('../../src/browser.js');
  for (const name of [
    'generateGraph',
    'graphStats',
    'drawGraph',
    'buildModel',
    'registerLayers',
    'readInputPreprocessing',
    'preprocessPixels',
    'toModelPixels',
  ]) {
    assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
  }
  assert.deepEqual(lib.generateGraph('ws', 8, {}, 3, lib.LATEST_SEEDING).edges.length, 16);
});
