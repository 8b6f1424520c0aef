import * as tf from '@tensorflow/tfjs';

// The checks `randwire eval` and `predict` make (io/model-files.ts, core/finite.ts), in the page:
// weight files whose SHA-256 differs from the one model.json records are refused, and so are
// outputs that are not finite.

interface ModelJson {
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: { [key: string]: object };
  checksums?: { sha256?: Record<string, string> };
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  // Browsers give crypto.subtle to secure contexts only: localhost, 127.0.0.1 and https.
  if (!globalThis.crypto?.subtle)
    throw new Error(
      'the weights cannot be checked in this page (crypto.subtle needs localhost or https); open the dashboard at localhost, or use randwire predict',
    );
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchOk(url: string, what: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what} could not be loaded (HTTP ${res.status}: ${(await res.text()).split('\n')[0]})`);
  return res;
}

/** A saved model over HTTP, as tf.loadLayersModel loads it, after its weight files pass their SHA-256. */
export async function loadCheckedModel(modelUrl: string, shownAs: string): Promise<tf.LayersModel> {
  const json = (await (await fetchOk(modelUrl, shownAs)).json()) as ModelJson;
  const base = new URL('.', new URL(modelUrl, location.href));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const bytes = await (await fetchOk(new URL(p, base).href, `${shownAs}: ${p}`)).arrayBuffer();
      const expected = json.checksums?.sha256?.[p];
      // Models saved before checksums were recorded are taken as they are, as on the command line.
      if (expected !== undefined && (await sha256Hex(bytes)) !== expected) {
        throw new Error(`${p} of ${shownAs} is damaged: its SHA-256 differs from the one recorded in model.json`);
      }
      buffers.push(new Uint8Array(bytes));
    }
  }
  const weightData = new Uint8Array(buffers.reduce((n, b) => n + b.length, 0));
  buffers.reduce((offset, b) => (weightData.set(b, offset), offset + b.length), 0);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: weightData.buffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? undefined,
      userDefinedMetadata: json.userDefinedMetadata,
    }),
  );
}
