// The oneDNN addon with every call timed, for bench/kernel-time.ts (which points
// RANDWIRE_NATIVE_ADDON here). The addon's own functions are read-only, hence a wrapper object.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a .node file loads only through require
const real = require(process.env.RANDWIRE_REAL_ADDON);
const times = {};
const counts = {};
// Multiply-adds x 2 of each timed convolution key (kernel-time.ts's --by-shape: GFLOP/s per line).
const flops = {};
const byShape = process.env.RANDWIRE_TIMED_BY_SHAPE === '1';
// params: n, h, w, c, oh, ow, oc, kh, kw, groups, ... (native/conv_params.h).
const convFlops = (p) => 2 * p[0] * p[4] * p[5] * p[6] * p[7] * p[8] * (p[3] / p[9]);
// Convolutions by kind (0 forward, 1 input gradient, 2 weight gradient) and depthwise or pointwise;
// element-wise calls and batch norm by op code (native/op_codes.h).
const ELEMENTWISE = ['weighted sum', 'weighted sum gradient', 'ReLU gradient', undefined, 'moving averages', 'add', 'ReLU', 'add into (gradients)', 'scale'];
const keyOf = (name, args) => {
  if (name === 'conv') {
    const p = args[2];
    const shape = byShape ? ` ${p[0]}x${p[1]}x${p[2]}x${p[3]} -> ${p[6]} (${p[7]}x${p[8]})` : '';
    return `conv ${['forward', 'input gradient', 'weight gradient'][args[0]]} ${p[9] > 1 ? 'depthwise' : 'dense'} stride ${p[10]}${shape}`;
  }
  if (name === 'elementwise') return ELEMENTWISE[args[0]] ?? `elementwise ${args[0]}`;
  if (name === 'batchNorm') return ['batch norm forward', 'batch norm gradient', 'batch norm inference'][args[0]];
  if (name === 'spatialMean') return ['global average pool', 'global average pool gradient'][args[0]];
  return name;
};
const wrapped = { abi: real.abi, times, counts, flops };
// Every function the addon exports (src/backend/native/addon.ts checks their names when it loads this).
for (const name of Object.getOwnPropertyNames(real).filter((k) => typeof real[k] === 'function')) {
  wrapped[name] = (...args) => {
    const t0 = performance.now();
    const result = real[name](...args);
    const key = keyOf(name, args);
    times[key] = (times[key] ?? 0) + performance.now() - t0;
    counts[key] = (counts[key] ?? 0) + 1;
    if (name === 'conv') flops[key] = (flops[key] ?? 0) + convFlops(args[2]);
    return result;
  };
}
module.exports = wrapped;
