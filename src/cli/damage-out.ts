import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import type { DamageWhat } from '../experiment/damage.js';
import { DAMAGE_FILES } from '../report/damage-report.js';

/** What a damage result was measured with, as damage.json records it (`options`, as a sweep's trials do). */
export interface DamageSettings {
  what: DamageWhat;
  /** null: the run's own test set. */
  testLimit: number | null;
}

/** The flags that give these settings, for messages. */
export function settingsFlags(s: DamageSettings): string {
  return `--what ${s.what} ${s.testLimit === null ? "(the run's own test set)" : `--test-limit ${s.testLimit}`}`;
}

interface RecordedResult {
  options?: DamageSettings;
  testImages?: number;
  nodes?: unknown[];
  edges?: unknown[];
}

/**
 * Older damage.json files (the committed results among them) have no `options`: what they removed
 * shows in their rows, and their test limit as the number of test images they used.
 */
function recordedSettings(r: RecordedResult): DamageSettings | undefined {
  if (r.options) return r.options;
  if (typeof r.testImages !== 'number' || !Array.isArray(r.nodes) || !Array.isArray(r.edges)) return undefined;
  const what: DamageWhat = r.nodes.length > 0 && r.edges.length > 0 ? 'both' : r.nodes.length > 0 ? 'nodes' : 'edges';
  return { what, testLimit: r.testImages };
}

const same = (a: DamageSettings, b: DamageSettings): boolean => a.what === b.what && a.testLimit === b.testLimit;

/**
 * Checked before minutes of work: `out` may be new, or hold a result of the same settings (measured
 * again, the same numbers); a result of other settings, or one that cannot be read, is replaced
 * only with --force, since the default folder (RUN/damage) may hold a committed result.
 */
export function checkDamageOut(out: string, wanted: DamageSettings, force: boolean): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new RandwireError('damage', `--out ${out} is a file; give a folder`);
  const file = join(out, DAMAGE_FILES.json);
  if (force || !existsSync(file)) return;
  let had: DamageSettings | undefined;
  try {
    had = recordedSettings(JSON.parse(readFileSync(file, 'utf8')) as RecordedResult);
  } catch {
    had = undefined;
  }
  if (had === undefined) throw new RandwireError('damage', `${file} cannot be read as a damage result; give --force to replace it, or --out another folder`);
  if (!same(had, wanted)) {
    throw new RandwireError('damage', `${out} holds a result for ${settingsFlags(had)}, not ${settingsFlags(wanted)}; give --force to replace it, or --out another folder`);
  }
}
