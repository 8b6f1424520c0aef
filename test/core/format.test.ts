import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, plural, printable } from '../../src/core/format.js';
import { parseInteger, parseNumber, parsePositiveInteger } from '../../src/core/parse.js';

test('durations read as seconds, minutes or hours, with the decimals asked for', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(89.4), '89 s');
  assert.equal(formatDuration(12.34, { s: 1 }), '12.3 s');
  assert.equal(formatDuration(90), '1.5 min');
  assert.equal(formatDuration(5399), '90.0 min');
  assert.equal(formatDuration(5400), '1.5 h');
  assert.equal(formatDuration(4.5 * 3600 + 36, { h: 2 }), '4.51 h');
});

test('counts say 1 epoch, 2 epochs, 0 pairs; an irregular plural is given', () => {
  assert.equal(plural(1, 'epoch'), '1 epoch');
  assert.equal(plural(2, 'epoch'), '2 epochs');
  assert.equal(plural(0, 'pair'), '0 pairs');
  assert.equal(plural(1, 'batch', 'batches'), '1 batch');
  assert.equal(plural(3, 'batch', 'batches'), '3 batches');
});

test('text from a file is printed with what a terminal acts on escaped, and cut', () => {
  assert.equal(printable('\x7fELF\x02\x01\x00 \x1b[31mred\x07'), '\\x7fELF\\x02\\x01\\x00 \\x1b[31mred\\x07');
  assert.equal(printable('a\rb\u202ec'), 'a\\x0db\\u202ec');
  assert.equal(printable('one\ntwo'), 'one\\ntwo');
  assert.equal(printable('one\ntwo', Number.POSITIVE_INFINITY, true), 'one\ntwo');
  assert.equal(printable('ünïcode stays, tabs do not:\t'), 'ünïcode stays, tabs do not:\\x09');
  assert.equal(printable('x'.repeat(500), 10), `${'x'.repeat(10)}...`);
});

test('numbers typed by a user are decimal: 0x10, 0b1, blanks and Infinity are refused', () => {
  for (const bad of ['0x10', '0b1', '0o7', ' 12', '12 ', '', 'Infinity', '1_000', '1e', '.']) {
    assert.throws(() => parseNumber(bad), /not a number/, JSON.stringify(bad));
    assert.throws(() => parseInteger(bad), /not an integer/, JSON.stringify(bad));
  }
  assert.equal(parseNumber('1e-3'), 0.001);
  assert.equal(parseNumber('-.5'), -0.5);
  assert.equal(parseNumber('2.'), 2);
  assert.equal(parseInteger('1e9'), 1e9);
  assert.equal(parsePositiveInteger('016'), 16);
  assert.throws(() => parseInteger('1.5'), /not an integer/);
});
