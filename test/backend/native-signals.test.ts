import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNativeAddon, nativeLoadError } from '../../src/backend/native/addon.js';
import { tempFolder } from '../helpers/folder.js';
import { CLI_TIMEOUT_MS } from '../helpers/cli.js';

// Training on the oneDNN kernels while signals arrive: Node's CPU profiler sends SIGPROF to the
// main thread every 50 us here. Before the addon blocked asynchronous signals during its calls
// (native/signals.h), oneDNN's sgemm ran the Dense layer's weight gradient (K = batch 128) with
// rsp in the heap, the signal frame landed there, and these runs aborted with "double free or
// corruption" or "corrupted size vs. prev_size" (6 runs of 6, 5 steps each).
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const available = loadNativeAddon() !== undefined;
const required = process.env.RANDWIRE_REQUIRE_NATIVE === '1';
const skip = !available && !required ? `oneDNN addon ${nativeLoadError()}` : false;

for (const threads of ['1', '2']) {
  test(`training at batch 128 under --cpu-prof (SIGPROF every 50 us), ${threads} thread(s): no heap corruption`, { skip }, () => {
    const profiles = tempFolder('randwire-signals-');
    try {
      const args = ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '50', '--import', 'tsx', 'test/helpers/native-workload.ts', '5', '128'];
      const r = spawnSync(process.execPath, args, {
        cwd: root,
        encoding: 'utf8',
        timeout: CLI_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        env: { ...process.env, RANDWIRE_THREADS: threads },
      });
      assert.ok(!r.error, `the training under --cpu-prof did not end: ${r.error?.message}`);
      assert.equal(r.status, 0, `exit ${r.status} (signal ${r.signal}):\n${r.stderr.slice(-3000)}`);
      assert.equal(JSON.parse(r.stdout.trim().split('\n').at(-1)!).backend, 'wasm+onednn');
    } finally {
      rmSync(profiles, { recursive: true, force: true });
    }
  });
}
