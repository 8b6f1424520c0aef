import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNativeAddon, nativeLoadError } from '../../src/backend/native/addon.js';

// The addon's N-API glue refuses, with a RangeError and before any kernel runs, a tensor that
// does not lie inside the heap it was given and parameters no kernel can run on. The heap here is
// a plain ArrayBuffer standing in for the wasm heap.
const addon = loadNativeAddon();
const skip = addon ? false : `oneDNN addon ${nativeLoadError()}`;

const F = 4; // bytes per float

test('sumRows: in bounds it sums; a tensor past the end of the heap or misaligned is a RangeError', { skip }, () => {
  const heap = new ArrayBuffer(64 * F);
  new Float32Array(heap, 0, 6).set([1, 2, 3, 4, 5, 6]);
  addon!.sumRows(heap, 2, 3, 0, 32 * F);
  assert.deepEqual([...new Float32Array(heap, 32 * F, 3)], [5, 7, 9]);
  assert.throws(() => addon!.sumRows(heap, 2, 3, 0, 62 * F), {
    name: 'RangeError',
    message: /sumRows.*y \(3 floats at byte 248\) is not inside the wasm heap of 256 bytes/,
  });
  assert.throws(() => addon!.sumRows(heap, 100, 3, 0, 32 * F), { name: 'RangeError', message: /x \(300 floats at byte 0\)/ });
  assert.throws(() => addon!.sumRows(heap, 2, 3, 2, 32 * F), { name: 'RangeError' });
  assert.throws(() => addon!.sumRows(heap, 2, 3, -4, 32 * F), { name: 'RangeError' });
  assert.throws(() => addon!.sumRows(heap, -1, 3, 0, 32 * F), { name: 'RangeError', message: /whole numbers/ });
});

test('conv: every operand is checked against the heap, and an output size that disagrees with the input is refused', { skip }, () => {
  // 1x4x4x1 input, 3x3 filter, stride 1, no padding: 1x2x2x1 output.
  const params = (oh: number): Int32Array => Int32Array.from([1, 4, 4, 1, oh, 2, 1, 3, 3, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
  const heap = new ArrayBuffer(64 * F);
  new Float32Array(heap, 0, 16).fill(1);
  new Float32Array(heap, 16 * F, 9).fill(1);
  addon!.conv(0, heap, params(2), 0, 16 * F, 0, 32 * F);
  assert.deepEqual([...new Float32Array(heap, 32 * F, 4)], [9, 9, 9, 9]);
  assert.throws(() => addon!.conv(0, heap, params(2), 0, 16 * F, 0, 61 * F), { name: 'RangeError', message: /dst \(4 floats/ });
  assert.throws(() => addon!.conv(0, heap, params(2), 0, 60 * F, 0, 32 * F), { name: 'RangeError', message: /filter \(9 floats/ });
  assert.throws(() => addon!.conv(1, heap, params(2), 50 * F, 16 * F, 0, 32 * F), { name: 'RangeError', message: /src \(16 floats/ });
  assert.throws(() => addon!.conv(0, heap, params(3), 0, 16 * F, 0, 32 * F), { name: 'RangeError', message: /output size disagrees/ });
  assert.throws(() => addon!.conv(3, heap, params(2), 0, 16 * F, 0, 32 * F), { name: 'RangeError', message: /kind/ });
});

test('elementwise, batchNorm, batchMatMul and maxPoolGrad check their tensors too', { skip }, () => {
  const heap = new ArrayBuffer(64 * F);
  const outside = { name: 'RangeError', message: /is not inside the wasm heap of 256 bytes/ };
  // Add of 8 elements with y running past the end.
  assert.throws(() => addon!.elementwise(5, heap, 8, Float64Array.of(0, 8 * F, 60 * F), new Float64Array(0)), outside);
  // Weighted sum: w holds k = 2 floats at the very end, the tensors n = 8 each.
  addon!.elementwise(0, heap, 8, Float64Array.of(62 * F, 0, 8 * F, 16 * F), Float64Array.of(0));
  assert.throws(() => addon!.elementwise(0, heap, 8, Float64Array.of(63 * F, 0, 8 * F, 16 * F), Float64Array.of(0)), {
    name: 'RangeError',
    message: /edge weights/,
  });
  // Batch norm forward of a [4, 8] x: its y at byte 200 would end at 328.
  const bn = Float64Array.of(0, 32 * F, 40 * F, 50 * F, 48 * F, 56 * F, 0, 0, 0, 0);
  assert.throws(() => addon!.batchNorm(0, heap, 4, 8, 1e-3, bn), { name: 'RangeError', message: /y \(32 floats/ });
  // [1, 4, 8] x [1, 8, 4]: c would end past the heap.
  assert.throws(() => addon!.batchMatMul(heap, Int32Array.of(1, 1, 4, 4, 8, 0, 0), 0, 32 * F, 56 * F), { name: 'RangeError', message: /c \(16 floats/ });
  assert.throws(() => addon!.batchMatMul(heap, Int32Array.of(2, 3, 1, 1, 1, 0, 0), 0, 8 * F, 16 * F), { name: 'RangeError', message: /batches/ });
  // Max-pool gradient of a 1x4x4x2 input (32 floats) with dx past the end.
  const pool = Int32Array.of(1, 4, 4, 2, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1);
  assert.throws(() => addon!.maxPoolGrad(heap, pool, 0, 32 * F, 40 * F), { name: 'RangeError', message: /dx \(32 floats/ });
});

test('adamMany, spatialMean and the element-wise add-into and scale check their tensors too', { skip }, () => {
  const heap = new ArrayBuffer(64 * F);
  const outside = { name: 'RangeError', message: /is not inside the wasm heap of 256 bytes/ };
  const adam = Float64Array.of(0.1, 0.9, 0.999, 1e-7, 0.1, 0.001);
  // One variable of 4: value, m, v, g, then value', m', v' (the last past the end).
  const offsets = (last: number) => Float64Array.of(0, 4 * F, 8 * F, 12 * F, 16 * F, 20 * F, last);
  addon!.adamMany(heap, offsets(24 * F), Float64Array.of(4), adam);
  assert.throws(() => addon!.adamMany(heap, offsets(62 * F), Float64Array.of(4), adam), { name: 'RangeError', message: /v' \(4 floats/ });
  assert.throws(() => addon!.adamMany(heap, offsets(24 * F), Float64Array.of(4, 4), adam), { name: 'RangeError', message: /7 per variable/ });
  assert.throws(() => addon!.adamMany(heap, offsets(24 * F), Float64Array.of(Number.NaN), adam), { name: 'RangeError', message: /whole numbers/ });
  // Mean over hw = 4 pixels of 2 images x 3 channels: x has 24 floats, y 6.
  addon!.spatialMean(0, heap, 2, 4, 3, 0, 32 * F);
  assert.throws(() => addon!.spatialMean(0, heap, 2, 4, 3, 50 * F, 0), { name: 'RangeError', message: /x \(24 floats/ });
  assert.throws(() => addon!.spatialMean(1, heap, 2, 4, 3, 0, 50 * F), { name: 'RangeError', message: /dx \(24 floats/ });
  assert.throws(() => addon!.spatialMean(2, heap, 2, 4, 3, 0, 32 * F), { name: 'RangeError', message: /kind/ });
  assert.throws(() => addon!.spatialMean(0, heap, 2, 0, 3, 0, 32 * F), { name: 'RangeError', message: /hw and c/ });
  // Add-into (op 7) and scale (op 8) of 8 elements with the second tensor past the end.
  assert.throws(() => addon!.elementwise(7, heap, 8, Float64Array.of(0, 60 * F), new Float64Array(0)), outside);
  assert.throws(() => addon!.elementwise(8, heap, 8, Float64Array.of(0, 60 * F), Float64Array.of(2)), outside);
  assert.throws(() => addon!.elementwise(8, heap, 8, Float64Array.of(0, 8 * F), new Float64Array(0)), {
    name: 'TypeError',
    message: /unknown op or wrong number/,
  });
});

test('gradients added onto a base (weighted-sum and ReLU gradients) are the bits of writing them and adding after; bases are checked too', { skip }, () => {
  // Past the parallel threshold and over several dot-product blocks, so threads and blocks both split.
  const n = 40_000;
  const slots = ['w', 'dy', 'y', 'x0', 'x1', 'base0', 'base1', 'dx0', 'dx1', 'dw', 'sum0', 'sum1', 'onto0', 'onto1', 'dwOnto'] as const;
  const heap = new ArrayBuffer(slots.length * n * F);
  const at = Object.fromEntries(slots.map((s, i) => [s, i * n * F])) as Record<(typeof slots)[number], number>;
  const view = (s: (typeof slots)[number]): Float32Array => new Float32Array(heap, at[s], n);
  let seed = 7;
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (const s of ['dy', 'y', 'x0', 'x1', 'base0', 'base1'] as const) view(s).forEach((_, i, a) => (a[i] = next()));
  view('w').set([0.3, -1.2]);
  const plain = Float64Array.of(1);
  // Two passes: dx written (op 1), then added to the base (op 5).
  addon!.elementwise(1, heap, n, Float64Array.of(at.w, at.dy, at.dw, at.y, at.x0, at.x1, at.dx0, at.dx1), plain);
  addon!.elementwise(5, heap, n, Float64Array.of(at.base0, at.dx0, at.sum0), new Float64Array(0));
  // One pass: input 0 onto a copy of its base in place, input 1 onto base1 into a new buffer.
  view('onto0').set(view('base0'));
  addon!.elementwise(1, heap, n, Float64Array.of(at.w, at.dy, at.dwOnto, at.y, at.x0, at.x1, at.onto0, at.onto1, at.onto0, -1), Float64Array.of(1, 1));
  assert.deepEqual(view('onto0'), view('sum0'));
  assert.deepEqual(view('onto1'), view('dx1'), 'no base (-1): written afresh');
  assert.deepEqual(new Float32Array(heap, at.dwOnto, 2), new Float32Array(heap, at.dw, 2));
  addon!.elementwise(1, heap, n, Float64Array.of(at.w, at.dy, at.dwOnto, at.y, at.x0, at.x1, at.onto0, at.onto1, -1, at.base1), Float64Array.of(1, 1));
  addon!.elementwise(5, heap, n, Float64Array.of(at.base1, at.dx1, at.sum1), new Float64Array(0));
  assert.deepEqual(view('onto1'), view('sum1'));
  // ReLU gradient: op 2 then op 5, against op 2 with a base.
  addon!.elementwise(2, heap, n, Float64Array.of(at.dy, at.y, at.dx0), new Float64Array(0));
  addon!.elementwise(5, heap, n, Float64Array.of(at.base0, at.dx0, at.sum0), new Float64Array(0));
  addon!.elementwise(2, heap, n, Float64Array.of(at.dy, at.y, at.onto0, at.base0), new Float64Array(0));
  assert.deepEqual(view('onto0'), view('sum0'));
  view('onto0').set(view('base0'));
  addon!.elementwise(2, heap, n, Float64Array.of(at.dy, at.y, at.onto0, at.onto0), new Float64Array(0));
  assert.deepEqual(view('onto0'), view('sum0'), 'in place');
  const outside = { name: 'RangeError', message: /is not inside the wasm heap/ };
  assert.throws(
    () => addon!.elementwise(1, heap, n, Float64Array.of(at.w, at.dy, at.dw, at.y, at.x0, at.x1, at.dx0, at.dx1, at.dwOnto + 4, -1), Float64Array.of(1, 1)),
    outside,
  );
  assert.throws(() => addon!.elementwise(2, heap, n, Float64Array.of(at.dy, at.y, at.dx0, at.dwOnto + 4), new Float64Array(0)), outside);
  assert.throws(() => addon!.elementwise(1, heap, n, Float64Array.of(at.w, at.dy, at.dw, at.y, at.x0, at.x1, at.dx0, at.dx1, -1), Float64Array.of(1, 1)), {
    name: 'TypeError',
    message: /unknown op or wrong number/,
  });
  assert.throws(
    () => addon!.elementwise(1, heap, n, Float64Array.of(at.w, at.dy, at.dw, at.y, at.x0, at.x1, at.dx0, at.dx1, at.dx0 + 8 * F, -1), Float64Array.of(1, 1)),
    { name: 'RangeError', message: /overlaps its dx/ },
  );
  assert.throws(() => addon!.elementwise(2, heap, n, Float64Array.of(at.dy, at.y, at.dx0, at.dx0 + 4 * F), new Float64Array(0)), {
    name: 'RangeError',
    message: /overlaps its dx/,
  });
});
