import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATEST_SEEDING } from '../../src/core/rng.js';
import { generateGraph } from '../../src/graph/generators.js';
import { parseGraph, stringifyGraph } from '../../src/graph/format.js';
import { RandwireError } from '../../src/core/errors.js';

test('a save/load round trip keeps every edge (the study kept only the first 32)', () => {
  for (const [name, params] of [
    ['ba', { m: 5 }],
    ['er', { p: 0.3 }],
    ['ws', { k: 4, p: 0.75 }],
  ] as const) {
    const g = generateGraph(name, 32, { ...params }, 7, LATEST_SEEDING);
    const back = parseGraph(stringifyGraph(g));
    assert.deepEqual(back, g);
    if (name === 'ba') assert.equal(back.edges.length, 135);
  }
});

test('stringify is byte-stable', () => {
  const g = generateGraph('ws', 32, { k: 4, p: 0.75 }, 1, LATEST_SEEDING);
  assert.equal(stringifyGraph(g), stringifyGraph(generateGraph('ws', 32, { k: 4, p: 0.75 }, 1, LATEST_SEEDING)));
  assert.equal(JSON.parse(stringifyGraph(g)).format, 'randwire-graph');
});

function doc(over: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'randwire-graph',
    version: 1,
    generator: 'er',
    params: { p: 0.5 },
    seed: 1,
    nodes: 4,
    edges: [
      [0, 1],
      [1, 2],
    ],
    ...over,
  });
}

const bad: Array<[string, string, RegExp]> = [
  ['not JSON', '{nope', /not valid JSON/],
  ['unknown format', doc({ format: 'other' }), /unknown format "other"/],
  ['unknown version', doc({ version: 2 }), /unsupported version 2/],
  ['index out of range', doc({ edges: [[0, 4]] }), /outside 0\.\.3/],
  ['negative index', doc({ edges: [[-1, 2]] }), /outside 0\.\.3/],
  [
    'duplicate edge',
    doc({
      edges: [
        [0, 1],
        [0, 1],
      ],
    }),
    /duplicate/,
  ],
  ['self loop', doc({ edges: [[2, 2]] }), /self loop/],
  [
    'cycle',
    doc({
      edges: [
        [0, 1],
        [1, 2],
        [2, 0],
      ],
    }),
    /cycle/,
  ],
  [
    'backward edge',
    doc({
      edges: [
        [0, 1],
        [3, 2],
      ],
    }),
    /higher to a lower index/,
  ],
  ['edge not a pair', doc({ edges: [[0, 1, 2]] }), /pair of integers/],
  ['nodes missing', doc({ nodes: undefined }), /"nodes" must be a positive integer/],
  ['array', '[]', /expected a JSON object/],
  ['unknown seeding', doc({ seeding: 3 }), /"seeding" must be one of 1, 2 \(absent: 1\), got 3/],
];
for (const [what, text, message] of bad) {
  test(`loading rejects: ${what}`, () => {
    assert.throws(
      () => parseGraph(text, 'g.json'),
      (e: unknown) => e instanceof RandwireError && message.test(e.message) && e.message.includes('g.json'),
    );
  });
}

test('a graph file records seeding 2; seeding 1 is written as no field, which reads as 1', () => {
  const two = generateGraph('er', 8, { p: 0.5 }, 3, 2);
  assert.equal(JSON.parse(stringifyGraph(two)).seeding, 2);
  assert.deepEqual(parseGraph(stringifyGraph(two)), two);
  const one = generateGraph('er', 8, { p: 0.5 }, 3, 1);
  assert.ok(!('seeding' in JSON.parse(stringifyGraph(one))));
  assert.deepEqual(parseGraph(stringifyGraph(one)), one);
  assert.deepEqual(parseGraph(doc({ seeding: 1 })), parseGraph(doc({})));
});
