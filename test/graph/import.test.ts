import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importGraph } from '../../src/graph/import.js';
import { parseGraph, stringifyGraph } from '../../src/graph/format.js';
import { RandwireError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempFolder } from '../helpers/folder.js';

const edgeList = '# a triangle with a tail\na b\nb c\n\nc a  # closing the triangle\nc d\n';

test('an edge list is relabelled in the order asked, and oriented by index', () => {
  assert.deepEqual(importGraph(edgeList, 'x', 'given').edges, [
    [0, 1],
    [0, 2],
    [1, 2],
    [2, 3],
  ]);
  // degree: c (3), then a, b (2, in file order), then d.
  assert.deepEqual(importGraph(edgeList, 'x', 'degree').edges, [
    [0, 1],
    [0, 2],
    [0, 3],
    [1, 2],
  ]);
  // bfs from a: a, b, c, then d.
  assert.deepEqual(importGraph(edgeList, 'x', 'bfs').edges, [
    [0, 1],
    [0, 2],
    [1, 2],
    [2, 3],
  ]);
  const g = importGraph(edgeList, 'x');
  assert.deepEqual(parseGraph(stringifyGraph(g)), g);
});

test('NetworkX node-link JSON ("links" or "edges", ids of any kind), isolated nodes kept', () => {
  const doc = {
    directed: false,
    multigraph: false,
    graph: {},
    nodes: [{ id: 'x' }, { id: 7 }, { id: 'z' }, { id: 'lonely' }],
    links: [
      { source: 'x', target: 7 },
      { source: 7, target: 'z' },
    ],
  };
  const g = importGraph(JSON.stringify(doc), 'doc');
  assert.equal(g.nodes, 4);
  assert.deepEqual(g.edges, [
    [0, 1],
    [1, 2],
  ]);
  const renamed = { ...doc, links: undefined, edges: doc.links };
  assert.deepEqual(importGraph(JSON.stringify(renamed), 'doc').edges, g.edges);
});

test('bad files are one-line errors', () => {
  const cases: Array<[string, RegExp]> = [
    ['a a\n', /self loop at node a/],
    ['a b\nb a\n', /edge b - a appears twice/],
    ['a\n', /line 1: expected "u v"/],
    ['# nothing\n', /the graph has no nodes/],
    ['{"nodes": [', /not valid JSON/],
    ['{"nodes": [{"id": 1}], "links": [{"source": 1, "target": 2}]}', /links\[0\] names node 2, which is not in "nodes"/],
    ['{"links": []}', /no "nodes" list/],
    [JSON.stringify({ nodes: Array.from({ length: 1001 }, (_, i) => ({ id: i })), links: [] }), /1,001 nodes, more than the 1,000 allowed/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => importGraph(text, 'f'),
      (e: unknown) => e instanceof RandwireError && message.test(e.message) && !e.message.includes('\n'),
      text.slice(0, 30),
    );
  }
});

test('randwire graph import writes the project graph JSON', () => {
  const dir = tempFolder('randwire-import-');
  writeFileSync(join(dir, 'g.txt'), edgeList);
  const r = runCli(['graph', 'import', join(dir, 'g.txt'), '--order', 'degree', '--out', join(dir, 'g.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /IMPORT, N=4/);
  const bad = runCli(['graph', 'import', join(dir, 'g.txt'), '--order', 'random']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /choose one of given, bfs, degree/);
});
