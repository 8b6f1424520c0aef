import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from '../../src/core/format.js';

test('durations read as seconds, minutes or hours, with the decimals asked for', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(89.4), '89 s');
  assert.equal(formatDuration(12.34, { s: 1 }), '12.3 s');
  assert.equal(formatDuration(90), '1.5 min');
  assert.equal(formatDuration(5399), '90.0 min');
  assert.equal(formatDuration(5400), '1.5 h');
  assert.equal(formatDuration(4.5 * 3600 + 36, { h: 2 }), '4.51 h');
});
