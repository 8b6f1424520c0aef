import { z } from 'zod';
import { LIMITS, formatBytes, formatCount } from '../core/limits.js';
import { strictTrainConfigSchema } from '../experiment/config.js';

/** The one queue every worker listens on; a job's id is its trial id, so a trial is enqueued once. */
export const QUEUE_NAME = 'randwire-trials';
export const JOB_NAME = 'trial';

/** A checkpoint that waits in Redis beside a job or its result: the epoch it ends, its size and each file's SHA-256. */
export const checkpointNoteSchema = z
  .object({
    epoch: z.number().int().min(1),
    bytes: z.number().int().min(0),
    sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  })
  .strict();
export type CheckpointNote = z.infer<typeof checkpointNoteSchema>;

/**
 * What the coordinator enqueues: the sweep's id, its data set (a name or a folder, with the
 * folder's SHA-256) and the trial's config; `stopAfterEpoch`: pause the trial after that epoch of
 * its schedule (a rung of successive halving; the worker checks it against the config's epochs).
 */
const jobFieldsSchema = z
  .object({
    sweep: z.string().min(1),
    data: z.string().min(1),
    dataSha256: z.string().optional(),
    config: strictTrainConfigSchema,
    weights: z.boolean().optional(),
    stopAfterEpoch: z.number().int().min(1).optional(),
    /** The trial's checkpoint from its last rung, waiting in Redis (queue/checkpoints.ts): a worker whose folder lacks it restores it. */
    checkpoint: checkpointNoteSchema.optional(),
  })
  .strict();

/** A job's size as JSON: measured before its fields are looked at, so an oversize job is refused as such. */
function jobBytes(data: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(data) ?? '');
  } catch {
    return 0;
  }
}

/**
 * A job a worker accepts: at most LIMITS.queueJobBytes, and no key that a trial does not use at
 * any level (unknown keys are refused, never stripped: a job is trained exactly as it was sent).
 * Graph sizes are checked with the config (validateTrainConfig, LIMITS.graphNodes and graphEdges).
 */
export const trialJobSchema = z
  .unknown()
  .superRefine((data, ctx) => {
    const bytes = jobBytes(data);
    if (bytes > LIMITS.queueJobBytes)
      ctx.addIssue({
        code: 'custom',
        message: `${formatCount(bytes)} bytes, more than the ${formatCount(LIMITS.queueJobBytes)} (${formatBytes(LIMITS.queueJobBytes)}) a job may hold`,
        abort: true,
      });
  })
  .pipe(jobFieldsSchema);

/**
 * A job's id: the sweep's id and the trial's. Per sweep, so two sweeps that share a trial keep
 * their own jobs; never all digits (BullMQ refuses integer-like custom ids).
 */
export const jobIdOf = (sweep: string, trial: string): string => `${sweep}_${trial}`;

/**
 * A halving search's job: one per trial and rung, named by the rung's stop epoch (a trial's rungs
 * stop at different epochs), so a promoted trial's next rung is a new job and a rung is never enqueued twice.
 */
export const rungJobIdOf = (sweep: string, trial: string, stopEpoch: number): string => `${sweep}_${trial}_e${stopEpoch}`;

/** The trial id in a job id (of a whole trial or of a rung), or undefined if the job id is not one of ours. */
export function trialOfJobId(jobId: string | undefined): string | undefined {
  return /^s[0-9a-f]+_([0-9a-f]{12})(?:_e[1-9][0-9]*)?$/.exec(jobId ?? '')?.[1];
}
export type TrialJob = Omit<z.infer<typeof jobFieldsSchema>, 'config'> & { config: unknown };

const epochSchema = z.object({
  epoch: z.number().int().min(1),
  trainLoss: z.number(),
  trainAccuracy: z.number().min(0).max(1),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().min(0).max(1).nullable(),
  lr: z.number(),
  seconds: z.number().min(0),
  imagesPerSec: z.number().min(0),
});

/** What a worker returns; the coordinator stores only a result that validates. */
export const trialResultSchema = z.object({
  host: z.string(),
  summary: z.object({
    testAccuracy: z.number().min(0).max(1),
    testLoss: z.number(),
    validationAccuracy: z.number().min(0).max(1).nullable(),
    validationLoss: z.number().nullable(),
    epochs: z.number().int().min(0),
    seconds: z.number().min(0),
    trainImagesPerSec: z.number().min(0),
  }),
  history: z.array(epochSchema),
  /** Set when the sweep keeps weights: they wait in Redis beside the result (queue/weights.ts), or why they do not. */
  weights: z.union([z.object({ bytes: z.number().int().min(0), sha256: z.object({ json: z.string(), weights: z.string() }) }), z.string()]).optional(),
});
export type TrialResult = z.infer<typeof trialResultSchema>;

/**
 * What a worker returns for a job with a stop epoch that is not the trial's last: paused there,
 * with that epoch's validation accuracy; `checkpoint`: the paused checkpoint waits in Redis, or why not.
 */
export const pausedResultSchema = z.object({
  host: z.string(),
  paused: z.object({ epoch: z.number().int().min(1), validationAccuracy: z.number().min(0).max(1).nullable() }),
  history: z.array(epochSchema),
  checkpoint: z.union([checkpointNoteSchema, z.string()]).optional(),
});
export type PausedResult = z.infer<typeof pausedResultSchema>;

/** Progress a worker reports while it trains: who, and the epoch that just ended if any. */
export const progressSchema = z.object({ host: z.string(), pid: z.number().int(), epoch: epochSchema.optional() });
export type TrialProgress = z.infer<typeof progressSchema>;

/** BullMQ's lock of a running job; tests shorten it so that a killed worker's job stalls quickly. */
export function lockMs(): number {
  const v = Number(process.env.RANDWIRE_QUEUE_LOCK_MS);
  return Number.isInteger(v) && v >= 1000 ? v : 30_000;
}
