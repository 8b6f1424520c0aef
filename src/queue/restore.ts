import type { Redis } from 'ioredis';
import type { TrainConfig } from '../experiment/config.js';
import { checkpointEpoch, checkpointSlot, fetchCheckpoint, installCheckpoint } from './checkpoints.js';
import type { CheckpointNote } from './messages.js';

/**
 * Before a promoted trial's rung: a folder without the checkpoint its last rung ended with (the
 * rung ran on another machine), or with an older one, gets it from Redis. Without it (expired,
 * damaged) the trial trains from what the folder holds: slower, never different, since every
 * epoch's draws derive from (seed, epoch, batch). Returns whether it was restored.
 */
export async function restoreCheckpoint(
  redis: Redis,
  jobId: string,
  trialDir: string,
  config: TrainConfig,
  note: CheckpointNote,
  log: (l: string) => void,
): Promise<boolean> {
  const have = checkpointEpoch(trialDir);
  if (have !== undefined && have >= note.epoch) return false;
  const files = await fetchCheckpoint(redis, checkpointSlot(jobId, 'in'), note);
  if (typeof files === 'string') {
    log(`${jobId}: ${files}; it trains from ${have === undefined ? 'the beginning' : `its own checkpoint of epoch ${have}`} instead`);
    return false;
  }
  installCheckpoint(trialDir, config, files);
  log(`${jobId}: restored its checkpoint of epoch ${note.epoch} from Redis${have === undefined ? '' : ` (this folder's was of epoch ${have})`}`);
  return true;
}
