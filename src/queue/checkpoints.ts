import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { LIMITS, formatBytes } from '../core/limits.js';
import { sha256 } from '../io/checksum.js';
import { readBytes, writeText } from '../io/files.js';
import { CHECKPOINT_FILES, MODEL_FILES } from '../io/run-layout.js';
import { RUN_FILES, readRunConfig } from '../experiment/run-files.js';
import { validateTrainConfig, type TrainConfig } from '../experiment/config.js';
import { findCheckpoint } from '../train/checkpoint.js';
import type { TrainState } from '../train/state.js';
import type { CheckpointNote } from './messages.js';

/**
 * A halving trial's checkpoint between two rungs travels through Redis, as weights do
 * (queue/weights.ts): a separate artifact beside the job or result, checked by SHA-256, expiring
 * after a week. So a promoted trial continues on any worker, not only the one whose folder holds it.
 */

const FILES = [...Object.values(MODEL_FILES), ...Object.values(CHECKPOINT_FILES)];
const TTL_SECONDS = 7 * 24 * 3600;
const key = (slot: string, file: string): string => `randwire:checkpoint:${slot}:${file}`;

/** Where a checkpoint waits: the one a rung job starts from (`in`, put by the coordinator) and the one it pauses with (`out`, put by the worker). */
export const checkpointSlot = (jobId: string, direction: 'in' | 'out'): string => `${jobId}:${direction}`;

/** The epochs a trial folder's checkpoint has trained, or undefined without a readable one. */
export function checkpointEpoch(trialDir: string): number | undefined {
  const dir = findCheckpoint(join(trialDir, RUN_FILES.checkpoint));
  if (!dir) return undefined;
  try {
    const state = JSON.parse(Buffer.from(readBytes(join(dir, CHECKPOINT_FILES.state), 'checkpoint state')).toString('utf8')) as Partial<TrainState>;
    return typeof state.epoch === 'number' ? state.epoch : undefined;
  } catch {
    return undefined;
  }
}

/** Put a paused trial's checkpoint into Redis under `slot` (a job id and its direction); why not, when it cannot travel. */
export async function putCheckpoint(redis: Redis, slot: string, trialDir: string): Promise<CheckpointNote | string> {
  const dir = join(trialDir, RUN_FILES.checkpoint);
  const epoch = checkpointEpoch(trialDir);
  if (epoch === undefined || !FILES.every((f) => existsSync(join(dir, f)))) return `no whole ${RUN_FILES.checkpoint}/ in ${trialDir}`;
  const bytes = FILES.reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  if (bytes > LIMITS.queueCheckpointBytes)
    return `the checkpoint is ${formatBytes(bytes)}, more than the ${formatBytes(LIMITS.queueCheckpointBytes)} sent through the queue`;
  const sums: Record<string, string> = {};
  for (const f of FILES) {
    const data = Buffer.from(readBytes(join(dir, f), 'checkpoint'));
    sums[f] = sha256(data);
    await redis.set(key(slot, f), data, 'EX', TTL_SECONDS);
  }
  return { epoch, bytes, sha256: sums };
}

/** A checkpoint's files from Redis, each checked against its SHA-256; why not, when missing or damaged. */
export async function fetchCheckpoint(redis: Redis, slot: string, note: CheckpointNote): Promise<Map<string, Buffer> | string> {
  const files = new Map<string, Buffer>();
  for (const f of FILES) {
    const expected = note.sha256[f];
    if (expected === undefined) return `the checkpoint note of ${slot} does not name ${f}`;
    const data = await redis.getBuffer(key(slot, f));
    if (!data) return `the checkpoint ${slot} is no longer in Redis`;
    if (sha256(data) !== expected) return `the checkpoint ${slot} arrived damaged (SHA-256 of ${f} differs)`;
    files.set(f, data);
  }
  return files;
}

/** A rung job's checkpoints, both ways, once its result is stored. */
export async function dropCheckpoints(redis: Redis, jobId: string): Promise<void> {
  await redis.del(...(['in', 'out'] as const).flatMap((d) => FILES.map((f) => key(checkpointSlot(jobId, d), f))));
}

/**
 * Make `trialDir` a paused run at the checkpoint's epoch: config.json (this machine's config, whose
 * data folder may differ from the sender's) if it has none, the checkpoint swapped in whole as
 * train/checkpoint.ts swaps its own, and metrics.jsonl from the checkpoint's history. The state's
 * config hash is bound to this folder's config.json: only the data folder's path may differ, and
 * the trial's id (checked against the job) already fixes everything else.
 */
export function installCheckpoint(trialDir: string, config: TrainConfig, files: ReadonlyMap<string, Buffer>): void {
  const configPath = join(trialDir, RUN_FILES.config);
  if (!existsSync(configPath)) writeText(configPath, JSON.stringify(validateTrainConfig(config), null, 2) + '\n');
  const state = JSON.parse(files.get(CHECKPOINT_FILES.state)!.toString('utf8')) as TrainState;
  state.configSha256 = sha256(new TextEncoder().encode(JSON.stringify(readRunConfig(trialDir))));
  const dir = join(trialDir, RUN_FILES.checkpoint);
  const tmp = `${dir}.tmp`;
  const old = `${dir}.old`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [f, data] of files) writeText(join(tmp, f), f === CHECKPOINT_FILES.state ? JSON.stringify(state) : data);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
  writeText(join(trialDir, RUN_FILES.metrics), state.history.map((m) => JSON.stringify(m)).join('\n') + (state.history.length ? '\n' : ''));
}
