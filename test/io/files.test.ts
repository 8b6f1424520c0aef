import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeText } from '../../src/io/files.js';
import { RandwireError } from '../../src/core/errors.js';

test('writing under a file where a folder should be is a one-line error, not a failed clean-up', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'randwire-files-'));
  writeFileSync(join(tmp, 'a-file'), 'x');
  assert.throws(() => writeText(join(tmp, 'a-file', 'out.json'), '{}'), (e: unknown) => e instanceof RandwireError && e.message === `io: cannot write ${join(tmp, 'a-file', 'out.json')}: ${join(tmp, 'a-file')} is a file, not a folder`);
});
