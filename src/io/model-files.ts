import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { writeText } from './files.js';
import { readJson } from './json.js';
import { sha256, verifySha256 } from './checksum.js';
import { registerNodeLayers } from '../model/register-node.js';

// Models loaded in Node get the layers with the addon's kernels, as built models have.
registerNodeLayers();

import { MODEL_FILES } from './run-layout.js';

const MODEL_JSON = MODEL_FILES.json;
const WEIGHTS_BIN = MODEL_FILES.weights;

/**
 * Save a model as the standard TF.js Layers format (model.json + weights.bin), without
 * tfjs-node: the same files tf.loadLayersModel reads from disk or over HTTP.
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      writeText(join(dir, WEIGHTS_BIN), weights);
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
        // Outside the manifest, where TF.js loaders ignore it; checked by readModelArtifacts.
        checksums: { sha256: { [WEIGHTS_BIN]: sha256(weights) } },
      };
      writeText(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: { [key: string]: object };
  checksums?: { sha256?: Record<string, string> };
}

/** Read model.json and its weight files into artifacts, with clear errors for missing or damaged files. */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const path = join(dir, MODEL_JSON);
  if (!existsSync(path)) throw new RandwireError('model', `no saved model in ${dir} (missing ${MODEL_JSON})`);
  const json = readJson<ModelJson>(path, 'model');
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new RandwireError('model', `${path} is not a TF.js layers model (no modelTopology/weightsManifest)`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new RandwireError('model', `weights file missing: ${file}`);
      const bytes = readFileSync(file);
      verifySha256(bytes, json.checksums?.sha256?.[p], file, path);
      buffers.push(bytes);
    }
  }
  const total = buffers.reduce((a, b) => a + b.length, 0);
  const expected = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1) * 4, 0);
  if (total !== expected) {
    throw new RandwireError('model', `${dir}: weights are ${total} bytes but model.json describes ${expected}; the files are damaged or from different models`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(readModelArtifacts(dir)));
}
