import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importGraph } from '../../src/graph/import.js';
import { parseGraph, validateGraph } from '../../src/graph/format.js';
import { validateTrainConfig, DEFAULT_TRAIN_CONFIG } from '../../src/experiment/config.js';
import { LIMITS } from '../../src/core/limits.js';
import { runCliMeasured } from '../helpers/peak-rss.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-import-limits-');
after(() => rmSync(tmp, { recursive: true, force: true }));

const chainEdgeList = (n: number): string => Array.from({ length: n - 1 }, (_, i) => `${i} ${i + 1}`).join('\n');
const nodeLink = (nodes: number, links: Array<[number, number]>): string =>
  JSON.stringify({
    directed: false,
    multigraph: false,
    nodes: Array.from({ length: nodes }, (_, id) => ({ id })),
    links: links.map(([source, target]) => ({ source, target })),
  });
/** Every pair of `n` nodes, then `extra` more pairs that repeat (only their count matters before the limit). */
const pairs = (n: number): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out.push([a, b]);
  return out;
};

test('an import at the node limit is read; one node more is refused in one line (edge list and node-link JSON)', () => {
  assert.equal(importGraph(chainEdgeList(LIMITS.graphNodes), 'ok.txt').nodes, LIMITS.graphNodes);
  assert.throws(
    () => importGraph(chainEdgeList(LIMITS.graphNodes + 1), 'big.txt'),
    /^RandwireError: graph: big\.txt: 1,001 nodes, more than the 1,000 allowed$/,
  );
  assert.throws(() => importGraph(nodeLink(20_000, []), 'big.json'), /big\.json: 20,000 nodes, more than the 1,000 allowed/);
});

test('more edges than the limit are refused before their sets are built', () => {
  const links = pairs(LIMITS.graphNodes);
  assert.equal(links.length, LIMITS.graphEdges);
  links.push([0, 1]);
  assert.throws(() => importGraph(nodeLink(LIMITS.graphNodes, links), 'dense.json'), /dense\.json: 499,501 edges, more than the 499,500 allowed/);
});

test('graph JSON and configs refuse graphs past the node and edge limits', () => {
  const graph = { format: 'randwire-graph', version: 1, generator: 'x', params: {}, seed: 0 };
  assert.throws(
    () => parseGraph(JSON.stringify({ ...graph, nodes: 2000, edges: [] }), 'g.json'),
    /^RandwireError: graph: g\.json: 2,000 nodes, more than the 1,000 allowed$/,
  );
  // An array past the limit is refused by its length, before any edge is looked at.
  assert.throws(
    () => validateGraph({ ...graph, nodes: 3, edges: new Array(LIMITS.graphEdges + 1).fill([0, 1]) }, 'g'),
    /g: 499,501 edges, more than the 499,500 allowed/,
  );
  const model = { ...DEFAULT_TRAIN_CONFIG.model, nodes: 2000, graphs: [{ generator: 'x', params: {}, seed: 0, nodes: 2000, edges: [] }] };
  assert.throws(() => validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, model }), /model\.nodes: Too big: expected number to be <=1000/);
  assert.throws(
    () => validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, model: { ...model, nodes: 32 } }),
    /model\.graphs\[0\]: 2,000 nodes, more than the 1,000 allowed/,
  );
});

test('graph import of a 20,000-node file: one line, bounded memory', () => {
  const file = join(tmp, 'big.txt');
  writeFileSync(file, chainEdgeList(20_000));
  const r = runCliMeasured(['graph', 'import', file]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `randwire: graph: ${file}: 20,000 nodes, more than the 1,000 allowed\n`);
  console.log(`# graph import of 20,000 nodes: peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
  assert.ok(r.peakRssMiB < 512, `peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
});
