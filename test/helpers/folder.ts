import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every file below a folder with a hash of its bytes: two equal snapshots mean nothing was written. */
export function folderSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

const made: string[] = [];

/**
 * A new folder under the system's temporary folder, removed when the test file's process exits,
 * whether its tests passed or failed. RANDWIRE_KEEP_TEST_FOLDERS=1 keeps them, to look inside.
 */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.length === 0) {
    process.once('exit', () => {
      if (process.env.RANDWIRE_KEEP_TEST_FOLDERS === '1') console.log(`# kept test folders: ${made.join(' ')}`);
      else for (const d of made) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    });
  }
  made.push(dir);
  return dir;
}
