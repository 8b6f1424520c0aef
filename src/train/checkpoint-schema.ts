import { z } from 'zod';
import { RandwireError } from '../core/errors.js';

const finite = z.number().finite();
const count = z.number().int().min(0);

const epochMetrics = z.object({
  epoch: z.number().int().min(1),
  trainLoss: finite,
  trainAccuracy: z.number().min(0).max(1),
  valLoss: finite.nullable(),
  valAccuracy: z.number().min(0).max(1).nullable(),
  lr: finite,
  seconds: z.number().min(0),
  imagesPerSec: z.number().min(0),
});

export const trainStateSchema = z
  .object({
    epoch: count,
    batch: count,
    partial: z.object({ lossSum: finite, correct: count, seen: count, seconds: z.number().min(0) }),
    history: z.array(epochMetrics),
    seconds: z.number().min(0),
    microBatch: z.number().int().min(1).optional(),
    configSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .refine((s) => s.history.length === s.epoch, { message: 'history must hold one line per finished epoch' });

const weightSpec = z.object({
  name: z.string(),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32']),
});

export const optimizerFileSchema = z.object({
  className: z.string(),
  specs: z.array(weightSpec),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Adam's running powers of beta1/beta2: tfjs rebuilds them with pow(), which rounds differently. */
  adam: z.object({ accBeta1: finite, accBeta2: finite }).optional(),
});
export type OptimizerFile = z.infer<typeof optimizerFileSchema>;

/** Parse and validate one JSON file of a checkpoint; every problem in one line. */
export function parseCheckpointJson<T>(schema: z.ZodType<T>, text: string, path: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RandwireError('checkpoint', `${path} is damaged (not valid JSON: ${(e as Error).message}); delete the checkpoint folder to restart the run`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    throw new RandwireError('checkpoint', `${path} is damaged (${problems}); delete the checkpoint folder to restart the run`);
  }
  return r.data;
}
