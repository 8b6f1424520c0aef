import type * as tf from '@tensorflow/tfjs';

/**
 * How raw pixels become the model's input, stored in the saved model's metadata so that a model
 * file alone is enough to predict (in Node or a browser): x = (pixel / 255 - mean) / std, in NHWC
 * order, light digits on a dark background as in MNIST.
 */
export interface InputPreprocessing {
  /** Pixels are bytes 0..255; they are divided by this first. */
  pixelScale: 255;
  mean: number;
  std: number;
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  layout: 'NHWC';
  foreground: 'light-on-dark';
}

/** The key in model.json's userDefinedMetadata. */
export const PREPROCESSING_KEY = 'randwirePreprocessing';

export function inputPreprocessing(mean: number, std: number, inputShape: readonly number[]): InputPreprocessing {
  const [h, w, c] = inputShape;
  return { pixelScale: 255, mean, std, inputShape: [h!, w!, c!], layout: 'NHWC', foreground: 'light-on-dark' };
}

/** Add the preprocessing to a model's metadata (kept with whatever is there already). */
export function setInputPreprocessing(model: tf.LayersModel, p: InputPreprocessing): void {
  model.setUserDefinedMetadata({ ...(model.getUserDefinedMetadata() ?? {}), [PREPROCESSING_KEY]: p });
}

/** The preprocessing saved with a model; undefined for models saved before it was stored. */
export function readInputPreprocessing(model: tf.LayersModel): InputPreprocessing | undefined {
  const meta = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const p = meta?.[PREPROCESSING_KEY] as InputPreprocessing | undefined;
  return p && typeof p.mean === 'number' && typeof p.std === 'number' && p.std > 0 ? p : undefined;
}

/** Pixels (0..255, NHWC, one image or many) to the model's input values. */
export function preprocessPixels(pixels: ArrayLike<number>, p: Pick<InputPreprocessing, 'pixelScale' | 'mean' | 'std'>): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i]! / p.pixelScale - p.mean) / p.std;
  return out;
}
