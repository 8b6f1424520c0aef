import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';

test("sweep plan flags only graphs that repeat under another graph seed of the same setting, not a C=16 cell sharing its C=8 twin's graphs", () => {
  const spec = {
    name: 'repeats',
    nodes: 8,
    channels: [8, 16],
    graphSeeds: 2,
    trainSeeds: 2,
    recipe: { epochs: 1 },
    cells: [{ generator: 'ws', grid: { k: [2], p: [0, 0.5] } }],
  };
  const plan = planSweep(parseSweepSpec(spec, 'test'), false);
  const label = (id: string | undefined): string | undefined => {
    const t = plan.trials.find((x) => x.id === id);
    return t && `${t.cell.params.p} C=${t.cell.channels} g${t.graphSeed}`;
  };
  const flags = plan.trials.map((t) => [`${t.cell.params.p} C=${t.cell.channels} g${t.graphSeed} t${t.trainSeed}`, label(t.sameGraphsAs)]);
  // Twins of another channel count share graphs by design; so do the training seeds of a graph.
  for (const [trial, same] of flags) if (trial!.startsWith('0.5 ')) assert.equal(same, undefined, trial);
  // WS with p=0 is the ring lattice whatever the seed: graph seed 2 repeats graph seed 1 of its own setting.
  const ring = Object.fromEntries(flags.filter(([trial]) => trial!.startsWith('0 ')));
  assert.deepEqual(ring, {
    '0 C=8 g1 t1': undefined,
    '0 C=16 g1 t1': undefined,
    '0 C=8 g1 t2': undefined,
    '0 C=16 g1 t2': undefined,
    '0 C=8 g2 t1': '0 C=8 g1',
    '0 C=16 g2 t1': '0 C=8 g1',
    '0 C=8 g2 t2': '0 C=8 g1',
    '0 C=16 g2 t2': '0 C=8 g1',
  });
  assert.equal(plan.trials.filter((t) => t.sameGraphsAs).length, 4);
});
