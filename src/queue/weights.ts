import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { sha256 } from '../io/checksum.js';
import { writeText } from '../io/files.js';
import { MODEL_FILES } from '../io/run-layout.js';
import { RUN_FILES } from '../experiment/run-files.js';

/** Weights travel beside the result, never inside it, and only up to this size. */
export const WEIGHTS_LIMIT_BYTES = 64 * 1024 * 1024;
/** Uncollected weights expire from Redis after a week. */
const TTL_SECONDS = 7 * 24 * 3600;

const keys = (trial: string) =>
  Object.fromEntries(Object.entries(MODEL_FILES).map(([k, f]) => [k, `randwire:weights:${trial}:${f}`])) as Record<keyof typeof MODEL_FILES, string>;

export interface WeightsNote {
  bytes: number;
  sha256: Record<keyof typeof MODEL_FILES, string>;
}

/** Put a trial's saved model into Redis as a separate artifact; undefined (with why) when too large. */
export async function putWeights(redis: Redis, trial: string, trialDir: string): Promise<WeightsNote | string> {
  const dir = join(trialDir, RUN_FILES.model);
  const files = Object.values(MODEL_FILES).map((f) => join(dir, f));
  if (!files.every(existsSync)) return `no ${RUN_FILES.model}/ in ${trialDir}`;
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  if (bytes > WEIGHTS_LIMIT_BYTES) return `the model is ${bytes} bytes, more than the ${WEIGHTS_LIMIT_BYTES} bytes sent through the queue`;
  const k = keys(trial);
  const sums = {} as WeightsNote['sha256'];
  for (const name of Object.keys(MODEL_FILES) as Array<keyof typeof MODEL_FILES>) {
    const data = readFileSync(join(dir, MODEL_FILES[name]));
    sums[name] = sha256(data);
    await redis.set(k[name], data, 'EX', TTL_SECONDS);
  }
  return { bytes, sha256: sums };
}

/** Fetch a trial's weights into its run folder, checked against the worker's checksums, and delete them from Redis. */
export async function takeWeights(redis: Redis, trial: string, trialDir: string, note: WeightsNote): Promise<string | undefined> {
  const k = keys(trial);
  const got: Partial<Record<keyof typeof MODEL_FILES, Buffer>> = {};
  for (const name of Object.keys(MODEL_FILES) as Array<keyof typeof MODEL_FILES>) {
    const data = await redis.getBuffer(k[name]);
    if (!data) return `the weights of ${trial} are no longer in Redis`;
    if (sha256(data) !== note.sha256[name]) return `the weights of ${trial} arrived damaged (SHA-256 differs); not written`;
    got[name] = data;
  }
  for (const name of Object.keys(MODEL_FILES) as Array<keyof typeof MODEL_FILES>) writeText(join(trialDir, RUN_FILES.model, MODEL_FILES[name]), got[name]!);
  await redis.del(...Object.values(k));
  return undefined;
}
