/**
 * The model plan of a bench case as JSON, for the PyTorch side of `npm run bench:compare`
 * (bench/pytorch/plan_model.py builds the same network from it):
 *   node --import tsx bench/export-plan.ts --case randwire-ws-c32-n32 > plan.json
 */
import { parseArgs } from 'node:util';
import { modelPlan } from '../src/model/registry.js';
import { CASES } from './cases.js';

const { values } = parseArgs({ options: { case: { type: 'string' } } });
const known = values.case ? CASES[values.case] : undefined;
if (!known) {
  process.stderr.write(`export-plan: --case must be one of ${Object.keys(CASES).join(', ')}\n`);
  process.exit(2);
}
// Seeding 1, as bench/cases.ts: the PyTorch side must train the same graphs.
const plan = modelPlan(known.options, 1);
process.stdout.write(JSON.stringify({ ...plan, batch: known.batch }) + '\n');
