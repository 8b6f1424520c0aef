import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A saved model whose weights are all NaN, with model.json's SHA-256 updated: only its outputs can tell. */
export function makeWeightsNaN(modelDir: string): void {
  const bin = join(modelDir, 'weights.bin');
  const weights = new Float32Array(readFileSync(bin).length / 4).fill(Number.NaN);
  const bytes = new Uint8Array(weights.buffer);
  writeFileSync(bin, bytes);
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
  json.checksums.sha256['weights.bin'] = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(modelDir, 'model.json'), JSON.stringify(json));
}

/** A saved model with one byte of weights.bin changed and model.json left as it was. */
export function flipWeightsByte(modelDir: string): void {
  const bin = join(modelDir, 'weights.bin');
  const bytes = readFileSync(bin);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0x40;
  writeFileSync(bin, bytes);
}
