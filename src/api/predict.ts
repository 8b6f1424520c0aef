import * as tf from '@tensorflow/tfjs';
import { isRandwireError } from '../core/errors.js';
import { initBackend } from '../backend/backend.js';
import { fitThreadsToFreeCores } from '../backend/native/threads.js';
import { readPngImage } from '../data/png.js';
import { finishedRunSummary, loadRunModel } from '../experiment/evaluate-run.js';
import { readRunConfig } from '../experiment/run-files.js';
import { assertFinite } from '../train/evaluate.js';
import { readInputPreprocessing } from '../model/preprocessing.js';

/** One image's answer: the most probable class and every class's probability, or why the image could not be read. */
export type Prediction = { image: string; prediction: number; probabilities: number[] } | { image: string; error: string };

export interface PredictOptions {
  /** The images are dark on light (MNIST is light on dark). */
  invert?: boolean;
}

/**
 * Class probabilities of a finished run's saved model for PNG files (resized to the model's input),
 * as `randwire predict` prints them. A file that cannot be read is an `error` entry and the others
 * are still scored; a run that is not finished, a damaged model or NaN outputs throw a RandwireError.
 */
export async function predictImages(run: string, images: readonly string[], o: PredictOptions = {}): Promise<Prediction[]> {
  const config = readRunConfig(run);
  const summary = finishedRunSummary(run);
  await initBackend(config.backend);
  await fitThreadsToFreeCores();
  const model = await loadRunModel(run);
  try {
    const [h, w, c] = config.model.inputShape;
    // Models saved before the preprocessing was stored in them fall back to the run's summary.
    const { mean, std } = readInputPreprocessing(model) ?? summary.normalization;
    const out: Prediction[] = [];
    for (const image of images) {
      let bytes: Uint8Array;
      try {
        bytes = readPngImage(image, h, w, c, o.invert);
      } catch (e) {
        if (!isRandwireError(e)) throw e;
        out.push({ image, error: e.message });
        continue;
      }
      const probs = tf.tidy(() => {
        const x = tf.div(tf.sub(tf.div(tf.tensor4d(Float32Array.from(bytes), [1, h, w, c]), 255), mean), std);
        return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
      });
      assertFinite(probs, `${run}/model`);
      const probabilities = [...probs];
      // A loop, not Math.max(...p): a model may have up to 100,000 classes, too many arguments for a call.
      const prediction = probabilities.reduce((best, q, k) => (q > probabilities[best]! ? k : best), 0);
      out.push({ image, prediction, probabilities });
    }
    return out;
  } finally {
    model.dispose();
  }
}
