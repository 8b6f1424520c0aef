/**
 * Where a training step's time goes between the addon's kernels and everything else (tfjs, JS,
 * wasm kernels), not a test: every addon call timed through a wrapper (bench/timed-addon.cjs).
 *   npm run bench:kernels -- --case randwire-ws-c16-n32 [--batch N] [--steps N] [--fusion segments|nodes|off] [--by-shape]
 * Prints the mean step, the share inside the addon, Adam's share, and one line per kernel
 * (--by-shape: per convolution shape, with its GFLOP/s).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

function flags() {
  try {
    return parseArgs({
      options: {
        case: { type: 'string', default: 'randwire-ws-c16-n32' },
        batch: { type: 'string' },
        steps: { type: 'string', default: '6' },
        fusion: { type: 'string', default: 'segments' },
        'by-shape': { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`bench:kernels: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
const values = flags();
// Before the addon loads: the wrapper takes its place.
process.env.RANDWIRE_REAL_ADDON = fileURLToPath(new URL('../native/build/randwire_native.node', import.meta.url));
process.env.RANDWIRE_NATIVE_ADDON = fileURLToPath(new URL('./timed-addon.cjs', import.meta.url));
if (values['by-shape']) process.env.RANDWIRE_TIMED_BY_SHAPE = '1';
const { loadNativeAddon } = await import('../src/backend/native/addon.js');
const { CASES, count, prepareCase } = await import('./cases.js');
const { FUSION_MODES, setFusionMode } = await import('../src/train/fused-forward.js');
const { OnednnAdam } = await import('../src/train/onednn-adam.js');

async function main(): Promise<void> {
  const name = values.case!;
  if (!CASES[name]) throw new Error(`unknown case ${name} (cases: ${Object.keys(CASES).join(', ')})`);
  if (!(FUSION_MODES as readonly string[]).includes(values.fusion!)) throw new Error(`--fusion must be one of ${FUSION_MODES.join(', ')}`);
  setFusionMode(values.fusion as (typeof FUSION_MODES)[number]);
  const steps = count('steps', values.steps)!;
  const addon = loadNativeAddon() as unknown as { times: Record<string, number>; counts: Record<string, number>; flops: Record<string, number> } | undefined;
  if (!addon) throw new Error('the oneDNN addon is not built (npm run build:native)');
  let adamMs = 0;
  const apply = OnednnAdam.prototype.applyGradients;
  OnednnAdam.prototype.applyGradients = function (this: InstanceType<typeof OnednnAdam>, g: Parameters<typeof apply>[0]): void {
    const t0 = performance.now();
    apply.call(this, g);
    adamMs += performance.now() - t0;
  };
  const c = await prepareCase(name, 'native', count('batch', values.batch));
  for (let i = 0; i < 6; i++) c.train();
  for (const k of Object.keys(addon.times)) {
    delete addon.times[k];
    delete addon.counts[k];
    delete addon.flops[k];
  }
  adamMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) c.train();
  const step = (performance.now() - t0) / steps;
  const inAddon = Object.values(addon.times).reduce((a, b) => a + b, 0) / steps;
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  out(
    `${name}, batch ${c.batch}, fusion ${values.fusion}: step ${step.toFixed(1)} ms, in the addon ${inAddon.toFixed(1)} ms (${((100 * inAddon) / step).toFixed(0)} %), outside ${(step - inAddon).toFixed(1)} ms; Adam ${(adamMs / steps).toFixed(1)} ms`,
  );
  const rate = (k: string, ms: number): string => (addon.flops[k] ? `, ${(addon.flops[k] / ms / 1e6).toFixed(0)} GFLOP/s` : '');
  for (const [k, v] of Object.entries(addon.times).sort((a, b) => b[1] - a[1]))
    out(`  ${k}: ${(v / steps).toFixed(1)} ms, ${addon.counts[k]! / steps} calls${rate(k, v)}`);
  c.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:kernels: ${(e as Error).message}\n`);
  process.exit(2);
});
