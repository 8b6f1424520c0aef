// The minimal example of the README: load a RandWire model saved by `randwire train` in a web page,
// and classify a blank image. Two imports: TF.js and the library's browser entry.
import * as tf from '@tensorflow/tfjs';
import { preprocessPixels, readInputPreprocessing, registerLayers } from '../../src/browser.js';

registerLayers(); // the two custom RandWire layers, before loading
const url = new URLSearchParams(location.search).get('model') ?? 'model/model.json';
const model = await tf.loadLayersModel(url);
const pre = readInputPreprocessing(model)!; // stored with the model: pixel scale, mean, std, input shape
const [h, w, c] = pre.inputShape;
const pixels = new Uint8Array(h * w * c); // 0..255, light digit on black, as MNIST
const x = tf.tensor4d(preprocessPixels(pixels, pre), [1, h, w, c]);
const probabilities = await (model.predict(x) as tf.Tensor).data();
document.getElementById('status')!.textContent = `loaded ${model.name}: ${model.countParams()} parameters`;
document.getElementById('out')!.textContent = Array.from(probabilities, (p, k) => `${k}: ${p.toFixed(4)}`).join('\n');
