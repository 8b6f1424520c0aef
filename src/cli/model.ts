import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { modelPlan } from '../model/registry.js';
import { complexity } from '../model/complexity.js';
import { addModelFlags, modelOptionsFromFlags } from './model-flags.js';
import { MODEL_NAMES } from '../model/registry.js';
import { choiceFlag, seedingFlag } from './flags.js';
import { LATEST_SEEDING, SEEDING_HELP, type Seeding } from '../core/rng.js';

export function modelCommand(): Command {
  const cmd = new Command('model')
    .description(COMMANDS.model.description)
    .argument('<name>', `model: ${MODEL_NAMES.join(', ')}`, choiceFlag(MODEL_NAMES))
    .option('--json', 'print {model, params, trainableParams, flops, layers} as JSON')
    .option('--seeding <1|2>', SEEDING_HELP, seedingFlag, LATEST_SEEDING);
  addModelFlags(cmd, false).action((name: string, flags: Record<string, unknown>) => {
    const options = modelOptionsFromFlags({ ...flags, model: name });
    const plan = modelPlan(options, flags.seeding as Seeding);
    const c = complexity(plan);
    if (flags.json) {
      process.stdout.write(
        JSON.stringify({ model: name, options, params: c.params, trainableParams: c.trainableParams, flops: c.flops, layers: c.layers }) + '\n',
      );
      return;
    }
    const rows = c.layers.map((l) => [l.name, l.kind, `(${l.outputShape.join(', ')})`, l.params.toLocaleString('en-US')]);
    const head = ['layer', 'kind', 'output shape', 'params'];
    // reduce, not Math.max(...rows): a spread of thousands of layers overflows the stack.
    const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
    const line = (r: string[]): string => r.map((v, i) => (i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
    const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
    out.push('');
    out.push(`model           ${name} (input ${options.inputShape.join('x')}, ${options.classes} classes)`);
    out.push(`params          ${c.params.toLocaleString('en-US')} (${c.trainableParams.toLocaleString('en-US')} trainable)`);
    out.push(`multiply-adds   ${c.flops.toLocaleString('en-US')} per image (${(c.flops / 1e6).toFixed(1)} M)`);
    process.stdout.write(out.join('\n') + '\n');
  });
  return cmd;
}
