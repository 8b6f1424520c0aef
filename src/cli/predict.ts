import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { RandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { predictImages } from '../api/predict.js';

export function predictCommand(): Command {
  return new Command('predict')
    .description(COMMANDS.predict.description)
    .argument('<run>', 'finished run folder')
    .argument('<images...>', 'PNG files')
    .option('--invert', 'the images are dark on light (MNIST is light on dark)')
    .option('--json', 'print one JSON object per image')
    .action(async (run: string, images: string[], opts: { invert?: boolean; json?: boolean }) => {
      const failed: string[] = [];
      for (const p of await predictImages(run, images, { invert: opts.invert })) {
        if ('error' in p) {
          process.stderr.write(`randwire: ${p.error}\n`);
          failed.push(p.image);
          continue;
        }
        const ranked = p.probabilities.map((q, k) => ({ k, q })).sort((a, b) => b.q - a.q);
        if (opts.json) process.stdout.write(JSON.stringify({ image: p.image, prediction: p.prediction, probabilities: p.probabilities }) + '\n');
        else {
          const rest = ranked.slice(1, 3).map((r) => `${r.k}: ${(r.q * 100).toFixed(1)} %`);
          process.stdout.write(`${p.image}: ${ranked[0]!.k} (${(ranked[0]!.q * 100).toFixed(1)} %)  ${rest.join('  ')}\n`);
        }
      }
      if (failed.length)
        throw new RandwireError('predict', `${failed.length} of ${plural(images.length, 'image')} could not be read (listed above); the others were scored`);
    });
}
