import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import * as tf from '@tensorflow/tfjs';
import { isRandwireError, RandwireError } from '../core/errors.js';
import { initBackend } from '../backend/backend.js';
import { fitThreadsToFreeCores } from '../backend/native/threads.js';
import { readPngImage } from '../data/png.js';
import { finishedRunSummary, loadRunModel } from '../experiment/evaluate-run.js';
import { readRunConfig } from '../experiment/run-files.js';
import { assertFinite } from '../train/evaluate.js';
import { readInputPreprocessing } from '../model/preprocessing.js';
import { plural } from '../core/format.js';

export function predictCommand(): Command {
  return new Command('predict')
    .description(COMMANDS.predict.description)
    .argument('<run>', 'finished run folder')
    .argument('<images...>', 'PNG files')
    .option('--invert', 'the images are dark on light (MNIST is light on dark)')
    .option('--json', 'print one JSON object per image')
    .action(async (run: string, images: string[], opts: { invert?: boolean; json?: boolean }) => {
      const config = readRunConfig(run);
      const summary = finishedRunSummary(run);
      await initBackend(config.backend);
      await fitThreadsToFreeCores();
      const model = await loadRunModel(run);
      const [h, w, c] = config.model.inputShape;
      // Models saved before the preprocessing was stored in them fall back to the run's summary.
      const { mean, std } = readInputPreprocessing(model) ?? summary.normalization;
      const failed: string[] = [];
      for (const file of images) {
        let bytes: Uint8Array;
        try {
          bytes = readPngImage(file, h, w, c, opts.invert);
        } catch (e) {
          if (!isRandwireError(e)) throw e;
          process.stderr.write(`randwire: ${e.message}\n`);
          failed.push(file);
          continue;
        }
        const probs = tf.tidy(() => {
          const x = tf.div(tf.sub(tf.div(tf.tensor4d(Float32Array.from(bytes), [1, h, w, c]), 255), mean), std);
          return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
        });
        assertFinite(probs, `${run}/model`);
        const ranked = [...probs].map((p, k) => ({ k, p })).sort((a, b) => b.p - a.p);
        if (opts.json) process.stdout.write(JSON.stringify({ image: file, prediction: ranked[0]!.k, probabilities: [...probs] }) + '\n');
        else
          process.stdout.write(
            `${file}: ${ranked[0]!.k} (${(ranked[0]!.p * 100).toFixed(1)} %)  ${ranked
              .slice(1, 3)
              .map((r) => `${r.k}: ${(r.p * 100).toFixed(1)} %`)
              .join('  ')}\n`,
          );
      }
      model.dispose();
      if (failed.length)
        throw new RandwireError('predict', `${failed.length} of ${plural(images.length, 'image')} could not be read (listed above); the others were scored`);
    });
}
