import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempFolder } from '../helpers/folder.js';
import { CLI_TIMEOUT_MS } from '../helpers/cli.js';

// The addon's kernels under AddressSanitizer and UBSan (npm run build:native -- --sanitize), in
// child processes: Node is not instrumented, so the ASan runtime is preloaded. Out-of-bounds
// accesses to the addon's own buffers (std::vector, thread_local scratch), use after free and
// undefined behaviour end the child with a report. Writes into the wasm heap are outside ASan's
// view (one big allocation of V8's): the glue's bounds checks (native/napi_args.h) cover those.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const asanAddon = join(root, 'native', 'build', 'randwire_native_asan.node');
const required = process.env.RANDWIRE_REQUIRE_NATIVE === '1';

function toolchain(): { libasan?: string; missing?: string } {
  const gxx = spawnSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' });
  if (gxx.error || gxx.status !== 0) return { missing: 'g++' };
  const libasan = gxx.stdout.trim();
  if (!libasan.startsWith('/')) return { missing: "AddressSanitizer runtime (libasan.so, in g++'s libgcc-N-dev: apt-get install -y g++)" };
  if (!existsSync('/usr/include/oneapi/dnnl/dnnl.hpp')) return { missing: 'oneDNN (apt-get install -y libdnnl-dev)' };
  return { libasan };
}

const { libasan, missing } = toolchain();
// CI installs the toolchain and requires the addon: there a missing piece fails instead of skipping.
const skip = missing && !required ? `sanitizer build impossible here: no ${missing}` : false;

/** Rebuilt when any addon source or the build script is newer than it (about 10 s). */
function buildSanitized(): void {
  const sources = [
    ...readdirSync(join(root, 'native'))
      .filter((f) => /\.(cc|h)$/.test(f))
      .map((f) => join(root, 'native', f)),
    join(root, 'scripts', 'build-native.mjs'),
  ];
  const built = existsSync(asanAddon) ? statSync(asanAddon).mtimeMs : 0;
  if (sources.every((f) => statSync(f).mtimeMs < built)) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--sanitize'], {
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  assert.ok(!r.error, `build-native --sanitize did not end: ${r.error?.message}`);
  assert.equal(r.status, 0, `build-native --sanitize failed:\n${r.stdout}${r.stderr}`);
}

/** A node child on the sanitizer build; fails the test on a report, a crash or a failure. */
function runSanitized(args: string[], what: string): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 2 ** 20,
    env: {
      ...process.env,
      LD_PRELOAD: libasan,
      // Node's own allocations live to exit by design (no leak check); a distinct exit code
      // names a report even where its text is lost.
      ASAN_OPTIONS: 'detect_leaks=0:exitcode=86:abort_on_error=0',
      UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
      RANDWIRE_NATIVE_ADDON: asanAddon,
      RANDWIRE_REQUIRE_NATIVE: '1',
      RANDWIRE_THREADS: '2',
      NODE_TEST_CONTEXT: undefined,
    },
  });
  const output = `${r.stdout}\n${r.stderr}`;
  assert.ok(!r.error, `${what}: did not end: ${r.error?.message}\n${output.slice(-6000)}`);
  const report = /ERROR: AddressSanitizer[^\n]*|runtime error:[^\n]*/.exec(output);
  assert.equal(report, null, `${what}: sanitizer report: ${report?.[0]}\n${output.slice(-6000)}`);
  assert.equal(r.status, 0, `${what}: exit ${r.status} (signal ${r.signal})\n${output.slice(-6000)}`);
  return r;
}

test('sanitizer build: the kernel tests pass with no AddressSanitizer or UBSan report', { skip }, () => {
  assert.ok(libasan, `sanitizer build impossible here: no ${missing}`);
  buildSanitized();
  const r = runSanitized(['--test', '--test-reporter=tap', 'test/backend/native-kernels.test.ts'], 'native-kernels.test.ts');
  assert.match(r.stdout, /# fail 0/);
  assert.doesNotMatch(r.stdout, /# pass 0\b/);
});

test('sanitizer build: training steps of RandWire C=8 N=8 at batch 128, under profiler signals, with no report', { skip }, () => {
  assert.ok(libasan, `sanitizer build impossible here: no ${missing}`);
  buildSanitized();
  const profiles = tempFolder('randwire-sanitize-');
  try {
    const r = runSanitized(
      ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '50', 'test/helpers/native-workload.ts', '2', '128'],
      'native-workload.ts',
    );
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { addon: string; backend: string };
    assert.equal(out.addon, asanAddon, 'the child ran the sanitizer build');
    assert.equal(out.backend, 'wasm+onednn');
  } finally {
    rmSync(profiles, { recursive: true, force: true });
  }
});
