/**
 * A hash of every variable after a few training steps of a benchmark case (not a test): run it
 * with two builds of the addon (or two commits) to see whether a change kept the bits.
 *   node --import tsx bench/weights-hash.ts [--case randwire-ws-c8-n16] [--batch 32] [--steps 3]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { CASES, count, prepareCase } from './cases.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { case: { type: 'string', default: 'randwire-ws-c8-n16' }, batch: { type: 'string', default: '32' }, steps: { type: 'string', default: '3' } },
  });
  if (!CASES[values.case!]) throw new Error(`unknown case ${values.case} (cases: ${Object.keys(CASES).join(', ')})`);
  const c = await prepareCase(values.case!, 'native', count('batch', values.batch));
  for (let i = count('steps', values.steps)!; i > 0; i--) c.train();
  const hash = createHash('sha256');
  const variables = (tf.engine() as unknown as { state: { registeredVariables: Record<string, tf.Variable> } }).state.registeredVariables;
  // Variable names carry the model's build order, the same in every process.
  for (const name of Object.keys(variables).sort()) hash.update(Buffer.from((variables[name]!.dataSync() as Float32Array).buffer));
  process.stdout.write(`${values.case}: ${Object.keys(variables).length} variables, sha256 ${hash.digest('hex').slice(0, 16)}\n`);
  c.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`weights-hash: ${(e as Error).message}\n`);
  process.exit(2);
});
