// Builds the optional oneDNN kernel set (native/randwire_native.cc) into native/build/.
// Needs g++, Node's headers and Debian's libdnnl-dev (apt-get install -y libdnnl-dev).
// Without them randwire runs on the wasm backend alone; this script says what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'randwire_native.cc');
const out = join(root, 'native', 'build', 'randwire_native.node');
const nodeInclude = join(dirname(dirname(process.execPath)), 'include', 'node');

// --optional (npm's postinstall): a missing library is a note, not a failed install.
const optional = process.argv.includes('--optional');
const fail = (message) => {
  console.error(message);
  process.exit(optional ? 0 : 1);
};

const missing = [];
if (!existsSync(join(nodeInclude, 'node_api.h'))) missing.push(`Node's headers (${nodeInclude}/node_api.h)`);
if (!existsSync('/usr/include/oneapi/dnnl/dnnl.hpp')) missing.push('oneDNN headers (apt-get install -y libdnnl-dev)');
if (missing.length) {
  fail(`build-native: oneDNN kernels not built, missing: ${missing.join('; ')}. randwire runs on wasm alone.`);
}
mkdirSync(dirname(out), { recursive: true });
// -march=native: the addon is compiled on the machine that runs it (npm's postinstall).
const args = ['-std=c++17', '-O3', '-march=native', '-shared', '-fPIC', '-fopenmp', '-Wall', '-Wextra', '-DNODE_GYP_MODULE_NAME=randwire_native',
  `-I${nodeInclude}`, source, '-o', out, '-ldnnl'];
try {
  execFileSync('g++', args, { stdio: 'inherit' });
} catch {
  fail('build-native: g++ failed (see above); randwire runs on wasm alone.');
}
console.log(`build-native: wrote ${out}`);
