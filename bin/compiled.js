// Whether dist/ (from `npm run build`) holds the CLI compiled from the sources that are here. An
// installed package has no src/: its dist/ is used. In a clone, dist/ is used only when its stamp
// is newer than every file and folder under src/ (a folder's time moves when a file is added or
// deleted), so an edit is never run from stale JavaScript: the sources then run through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST_MAIN = join(ROOT, 'dist', 'cli', 'main.js');
/** Written by scripts/build.mjs after a build that succeeded, with the time the build started. */
export const BUILD_STAMP = join(ROOT, 'dist', '.built');
const SOURCES = join(ROOT, 'src');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((f) => join(ROOT, f));

function newerThan(path, time) {
  const s = statSync(path);
  if (s.mtimeMs > time) return true;
  return s.isDirectory() && readdirSync(path).some((name) => newerThan(join(path, name), time));
}

export function compiledIsFresh() {
  if (!existsSync(DIST_MAIN)) return false;
  if (!existsSync(SOURCES)) return true;
  if (!existsSync(BUILD_STAMP)) return false;
  const built = statSync(BUILD_STAMP).mtimeMs;
  return !newerThan(SOURCES, built) && !CONFIGS.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}
