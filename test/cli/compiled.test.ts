import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-compiled-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of bin/compiled.js in a made-up package: its answers follow that package's files. */
async function fakePackage(name: string): Promise<{ root: string; fresh: () => boolean }> {
  const root = join(tmp, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(new URL('../../bin/compiled.js', import.meta.url), join(root, 'bin', 'compiled.js'));
  const m = (await import(pathToFileURL(join(root, 'bin', 'compiled.js')).href)) as { compiledIsFresh: () => boolean };
  return { root, fresh: m.compiledIsFresh };
}
const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);
const write = (path: string, seconds: number): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  at(path, seconds);
};

test('bin/randwire.js runs dist/ only when its stamp is newer than every source, folder and tsconfig', async () => {
  const { root, fresh } = await fakePackage('clone');
  write(join(root, 'src', 'cli', 'main.ts'), 1000);
  at(join(root, 'src', 'cli'), 1000);
  at(join(root, 'src'), 1000);
  assert.equal(fresh(), false, 'no dist/');
  write(join(root, 'dist', 'cli', 'main.js'), 2000);
  assert.equal(fresh(), false, 'dist/ without the stamp of a finished build');
  write(join(root, 'dist', '.built'), 2000);
  assert.equal(fresh(), true, 'built after the sources');
  at(join(root, 'src', 'cli', 'main.ts'), 3000);
  assert.equal(fresh(), false, 'a source saved after the build');
  at(join(root, 'src', 'cli', 'main.ts'), 1000);
  write(join(root, 'src', 'cli', 'new.ts'), 1000);
  at(join(root, 'src', 'cli'), 3000);
  assert.equal(fresh(), false, 'a source added (its folder changed) after the build');
  at(join(root, 'src', 'cli'), 1000);
  write(join(root, 'tsconfig.build.json'), 3000);
  assert.equal(fresh(), false, 'the compiler settings changed after the build');
  at(join(root, 'tsconfig.build.json'), 1000);
  assert.equal(fresh(), true);
});

test('an installed package (no src/) runs its dist/', async () => {
  const { root, fresh } = await fakePackage('installed');
  assert.equal(fresh(), false);
  write(join(root, 'dist', 'cli', 'main.js'), 1000);
  assert.equal(fresh(), true);
});
