// Builds the optional oneDNN kernel set (native/randwire_native.cc) into native/build/.
// Needs g++, Node's headers and Debian's libdnnl-dev (apt-get install -y libdnnl-dev).
// Without them randwire runs on the wasm backend alone; this script says what is missing.
//
// --sanitize: AddressSanitizer and UBSan instead, into native/build/randwire_native_asan.node
// (the release build stays where it is). Node itself is not instrumented, so it runs only with
// the ASan runtime preloaded: LD_PRELOAD=$(g++ -print-file-name=libasan.so)
// ASAN_OPTIONS=detect_leaks=0 RANDWIRE_NATIVE_ADDON=native/build/randwire_native_asan.node;
// test/backend/native-sanitize.test.ts does exactly that.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'randwire_native.cc');
const sanitize = process.argv.includes('--sanitize');
const out = join(root, 'native', 'build', sanitize ? 'randwire_native_asan.node' : 'randwire_native.node');
const nodeInclude = join(dirname(dirname(process.execPath)), 'include', 'node');

// --optional (npm's postinstall): a missing library is a note, not a failed install.
const optional = process.argv.includes('--optional');
const fail = (message) => {
  console.error(message);
  process.exit(optional ? 0 : 1);
};

// The ASan runtime is part of GCC's support libraries; without it g++ prints the bare file name.
function hasLibasan() {
  try {
    return execFileSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim().startsWith('/');
  } catch {
    return false;
  }
}

const missing = [];
if (!existsSync(join(nodeInclude, 'node_api.h'))) missing.push(`Node's headers (${nodeInclude}/node_api.h)`);
if (!existsSync('/usr/include/oneapi/dnnl/dnnl.hpp')) missing.push('oneDNN headers (apt-get install -y libdnnl-dev)');
if (sanitize && !hasLibasan()) missing.push('the AddressSanitizer runtime (g++ -print-file-name=libasan.so finds none; apt-get install -y g++ brings it)');
if (missing.length) {
  fail(`build-native: ${sanitize ? 'the sanitizer build of the ' : ''}oneDNN kernels not built, missing: ${missing.join('; ')}. randwire runs on wasm alone.`);
}
mkdirSync(dirname(out), { recursive: true });
// -march=native: the addon is compiled on the machine that runs it (npm's postinstall).
// Sanitized: -O1 keeps the build quick and the reports' stacks readable; any report is fatal
// (-fno-sanitize-recover) so that a test cannot pass over one.
const optimise = sanitize ? ['-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'] : ['-O3'];
const args = [
  '-std=c++17',
  ...optimise,
  '-march=native',
  '-shared',
  '-fPIC',
  '-fopenmp',
  '-Wall',
  '-Wextra',
  '-DNODE_GYP_MODULE_NAME=randwire_native',
  `-I${nodeInclude}`,
  source,
  '-o',
  out,
  '-ldnnl',
];
try {
  execFileSync('g++', args, { stdio: 'inherit' });
} catch {
  fail('build-native: g++ failed (see above); randwire runs on wasm alone.');
}
console.log(`build-native: wrote ${out}`);
