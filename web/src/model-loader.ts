import * as tf from '@tensorflow/tfjs';
import { assertFinite, preprocessPixels, readInputPreprocessing, registerLayers, type InputPreprocessing } from '../../src/browser.js';
import { api, fileUrl } from './api.js';
import { loadCheckedModel } from './model-checks.js';

let ready: Promise<void> | undefined;

/** tfjs's plain cpu backend: slower than WebGL, but its float32 results equal Node's to 1e-6. */
export function initTf(): Promise<void> {
  ready ??= tf.setBackend('cpu').then(() => tf.ready());
  return ready;
}

export interface LoadedModel {
  model: tf.LayersModel;
  /** The model as messages name it. */
  shownAs: string;
  pre: Pick<InputPreprocessing, 'pixelScale' | 'mean' | 'std' | 'inputShape'>;
}

/**
 * A run's saved model, loaded as any web page would (tf.loadLayersModel after registerLayers()),
 * once its weights pass the SHA-256 that model.json records and a blank image gives finite outputs.
 */
export async function loadRunModel(path: string): Promise<LoadedModel> {
  await initTf();
  registerLayers();
  const run = await api.run(path);
  if (!run.model) throw new Error(`${path} has no saved model (model/model.json); only finished runs can be tried`);
  const shownAs = `${path || '.'}/model`;
  const model = await loadCheckedModel(fileUrl(run.model), shownAs);
  // Models saved before the preprocessing was stored in them: the run's summary has it.
  const stored = readInputPreprocessing(model);
  const norm =
    stored ??
    (run.summary
      ? {
          pixelScale: 255 as const,
          ...run.summary.normalization,
          inputShape: (run.config as { model: { inputShape: [number, number, number] } }).model.inputShape,
        }
      : undefined);
  if (!norm) throw new Error(`${path}: the model has no input preprocessing and the run no summary`);
  const loaded = { model, shownAs, pre: norm };
  try {
    predict(loaded, new Uint8Array(norm.inputShape.reduce((a, b) => a * b, 1)));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return loaded;
}

/** Class probabilities for one image of 0..255 pixels [h, w, c]; outputs that are not finite are refused. */
export function predict(m: LoadedModel, pixels: Uint8Array): Float32Array {
  const [h, w, c] = m.pre.inputShape;
  const probs = tf.tidy(() => (m.model.predict(tf.tensor4d(preprocessPixels(pixels, m.pre), [1, h, w, c])) as tf.Tensor).dataSync() as Float32Array);
  assertFinite(probs, m.shownAs);
  return probs;
}
