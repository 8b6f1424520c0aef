import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { idxFiles } from './idx-files.js';

/** SHA-256 over a data folder's four IDX files (as stored), so another machine can check that it has the same data. */
export function dataFingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const f of idxFiles(dir)) h.update(createHash('sha256').update(readFileSync(f)).digest('hex'));
  return h.digest('hex');
}
