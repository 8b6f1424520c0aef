import * as tf from '@tensorflow/tfjs';
import { SeededDropout, WeightedSum } from './layers.js';

/**
 * Register the project's custom layers with tfjs's serialisation, so a saved model loads with
 * plain tf.loadLayersModel after importing this module.
 */
export function registerLayers(): void {
  tf.serialization.registerClass(WeightedSum);
  tf.serialization.registerClass(SeededDropout);
}

registerLayers();
