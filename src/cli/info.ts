import { Command, Option } from 'commander';
import { COMMANDS } from './commands.js';
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, initBackend, type BackendChoice } from '../backend/backend.js';
import { choiceFlag } from './flags.js';

export function infoCommand(): Command {
  return new Command('info')
    .description(COMMANDS.info.description)
    .addOption(new Option('--backend <name>', 'backend to prepare').argParser(choiceFlag(BACKENDS)).default('auto'))
    .option('--json', 'print as JSON')
    .action(async (opts: { backend: BackendChoice; json?: boolean }) => {
      const info = await initBackend(opts.backend);
      const out = {
        backend: info.name,
        requested: info.requested,
        tfjs: tf.version.tfjs,
        tfjsCore: tf.version_core,
        tfjsLayers: tf.version_layers,
        tfjsNode: info.tfjsNode ?? 'not installed (optional: npm install @tensorflow/tfjs-node)',
        ...(info.tfjsNodeError ? { tfjsNodeError: info.tfjsNodeError } : {}),
        onednn: info.onednn ?? `not used (${info.onednnError ?? 'wasm chosen'})`,
        wasmThreads: info.name.startsWith('wasm') ? 1 : undefined,
        node: process.version,
      };
      if (opts.json) process.stdout.write(JSON.stringify(out) + '\n');
      else for (const [k, v] of Object.entries(out)) if (v !== undefined) process.stdout.write(`${k.padEnd(18)}${String(v)}\n`);
    });
}
