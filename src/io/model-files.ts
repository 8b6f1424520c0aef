import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RandwireError } from '../core/errors.js';
import { readBytes, writeText } from './files.js';
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

/** What readModelArtifacts needs of a model.json; anything else in the file is passed through. */
const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string().regex(/^[^/\\]+$/, 'a file name in the model folder')),
      weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.enum(['float32', 'int32']) }).passthrough()),
    }),
  ),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  userDefinedMetadata: z.record(z.string(), z.unknown()).optional(),
  checksums: z.object({ sha256: z.record(z.string(), z.string()).optional() }).optional(),
});

/** Read model.json and its weight files into artifacts, with clear errors for missing or damaged files. */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const path = join(dir, MODEL_JSON);
  if (!existsSync(path)) throw new RandwireError('model', `no saved model in ${dir} (missing ${MODEL_JSON})`);
  const parsed = modelJsonSchema.safeParse(readJson(path, 'model'));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    throw new RandwireError('model', `${path} is not a TF.js layers model (${problems}); the file is damaged`);
  }
  const json = parsed.data;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const w of group.weights as tf.io.WeightsManifestEntry[]) specs.push(w);
    for (const p of group.paths) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new RandwireError('model', `weights file missing: ${file}`);
      const bytes = readBytes(file, 'weights file');
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
    modelTopology: json.modelTopology as object,
    weightSpecs: specs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    userDefinedMetadata: json.userDefinedMetadata as { [key: string]: object } | undefined,
  };
}

/** A saved model (model.json + weights.bin) as a tfjs LayersModel, its weights checked against their recorded SHA-256 first. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(readModelArtifacts(dir)));
}
