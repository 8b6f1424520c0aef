import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError, isRandwireError } from '../core/errors.js';
import { readJson } from '../io/json.js';
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

interface Recorded {
  settings: DamageSettings;
  /** From an older file without `options`: its test limit is only the number of test images it used. */
  inferred: boolean;
}

/**
 * Older damage.json files (the committed results among them) have no `options`: what they removed
 * shows in their rows, and their test limit as the number of test images they used.
 */
function recordedSettings(r: RecordedResult): Recorded | undefined {
  if (r.options) return { settings: r.options, inferred: false };
  if (typeof r.testImages !== 'number' || !Array.isArray(r.nodes) || !Array.isArray(r.edges)) return undefined;
  const what: DamageWhat = r.nodes.length > 0 && r.edges.length > 0 ? 'both' : r.nodes.length > 0 ? 'nodes' : 'edges';
  return { settings: { what, testLimit: r.testImages }, inferred: true };
}

/**
 * An inferred test limit is a count of images, so it also matches a request for the run's own
 * test set when that set holds as many (an older result measured on it, measured again).
 */
function same(had: Recorded, wanted: DamageSettings, runTestImages: number | undefined): boolean {
  if (had.settings.what !== wanted.what) return false;
  if (had.settings.testLimit === wanted.testLimit) return true;
  return had.inferred && wanted.testLimit === null && runTestImages !== undefined && had.settings.testLimit === runTestImages;
}

/**
 * Checked before minutes of work: `out` may be new, or hold a result of the same settings (measured
 * again, the same numbers); a result of other settings, or one that cannot be read, is replaced
 * only with --force, since the default folder (RUN/damage) may hold a committed result.
 * `runTestImages`: how many images the run's own test set holds (its summary's testImages).
 */
export function checkDamageOut(out: string, wanted: DamageSettings, force: boolean, runTestImages?: number): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new RandwireError('damage', `--out ${out} is a file; give a folder`);
  const file = join(out, DAMAGE_FILES.json);
  if (force || !existsSync(file)) return;
  const instead = 'give --force to replace it, or --out another folder';
  let r: unknown;
  try {
    // Within the documented limit of a JSON file: a damage.json is never near it.
    r = readJson<unknown>(file, 'damage result');
  } catch (e) {
    if (!isRandwireError(e)) throw e;
    throw new RandwireError('damage', `${e.message.replace(/^\w+: /, '')}; ${instead}`);
  }
  const had = typeof r === 'object' && r !== null ? recordedSettings(r as RecordedResult) : undefined;
  if (had === undefined) throw new RandwireError('damage', `${file} cannot be read as a damage result; ${instead}`);
  if (!same(had, wanted, runTestImages)) {
    throw new RandwireError('damage', `${out} holds a result for ${settingsFlags(had.settings)}, not ${settingsFlags(wanted)}; ${instead}`);
  }
}
