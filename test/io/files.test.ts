import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeText } from '../../src/io/files.js';
import { RandwireError } from '../../src/core/errors.js';
import { tempFolder } from '../helpers/folder.js';

test('writing under a file where a folder should be is a one-line error, not a failed clean-up', () => {
  const tmp = tempFolder('randwire-files-');
  writeFileSync(join(tmp, 'a-file'), 'x');
  assert.throws(
    () => writeText(join(tmp, 'a-file', 'out.json'), '{}'),
    (e: unknown) =>
      e instanceof RandwireError && e.message === `io: cannot write ${join(tmp, 'a-file', 'out.json')}: ${join(tmp, 'a-file')} is a file, not a folder`,
  );
});
