import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { readJson } from '../io/json.js';
import { makeFolder, writeText } from '../io/files.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { parseSweepSpec, planSweep, type SweepPlan } from './plan.js';
import { SWEEP_PRESETS, SWEEP_PRESET_NAMES } from './presets.js';
import { SweepStore } from './store.js';
import { releaseCoordination, takeCoordination } from './coordination.js';
import type { SweepSpec } from './spec.js';
import { plural } from '../core/format.js';

/** A sweep named by a file, a sweep folder or a preset. */
export interface SweepSource {
  /** A sweep file (JSON) or a sweep folder. */
  path?: string;
  preset?: string;
}

const isSweepFolder = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** Read and validate the spec of a sweep file, a sweep folder's sweep.json or a preset. */
export function loadSpec(source: SweepSource, checkData = true): { spec: SweepSpec; folder: string | undefined } {
  if (source.preset !== undefined) {
    if (source.path !== undefined) throw new RandwireError('sweep', 'give a sweep file or folder, or --preset, not both');
    if (!Object.hasOwn(SWEEP_PRESETS, source.preset))
      throw new RandwireError('sweep', `unknown preset '${source.preset}' (choose one of ${SWEEP_PRESET_NAMES.join(', ')})`);
    return { spec: parseSweepSpec(SWEEP_PRESETS[source.preset as keyof typeof SWEEP_PRESETS].spec, `preset '${source.preset}'`), folder: undefined };
  }
  if (source.path === undefined) throw new RandwireError('sweep', 'give a sweep file (JSON), a sweep folder or --preset NAME');
  if (isSweepFolder(source.path)) {
    const file = join(source.path, SWEEP_FILES.spec);
    if (!existsSync(file)) throw new RandwireError('sweep', `${source.path} is not a sweep folder (no ${SWEEP_FILES.spec})`);
    return { spec: parseSweepSpec(readJson(file, 'sweep file'), file, checkData), folder: source.path };
  }
  return { spec: parseSweepSpec(readJson(source.path, 'sweep file'), source.path), folder: undefined };
}

export interface OpenSweep {
  dir: string;
  plan: SweepPlan;
  store: SweepStore;
  added: number;
}

/**
 * Create or reopen a sweep folder for `run`. More seeds or cells only add trials; a sweep with
 * results never changes its recipe (that would mix two protocols in one table).
 */
export function openSweep(source: SweepSource, out: string | undefined, fresh: string | undefined): OpenSweep {
  const { spec, folder } = loadSpec(source);
  if (fresh !== undefined && existsSync(join(fresh, SWEEP_FILES.spec)))
    throw new RandwireError('sweep', `--new ${fresh} already holds a sweep; choose another folder`);
  const dir = fresh ?? folder ?? out ?? join('sweeps', spec.name);
  const plan = planSweep(spec);
  const store = openStore(dir);
  try {
    // Before anything is written: a sweep has one coordinator, and a second run must not change its plan.
    takeCoordination(store, dir);
    const before = store.getMeta('recipeHash');
    const done = store.countDone();
    if (before !== undefined && before !== plan.recipeHash && done > 0) {
      throw new RandwireError(
        'sweep',
        `this changes the training recipe of ${dir}, which has ${plural(done, 'finished trial')}; run it into a new folder with --new DIR, or put the recipe back`,
      );
    }
    store.setMeta('recipeHash', plan.recipeHash);
    store.setMeta('name', spec.name);
    writeText(join(dir, SWEEP_FILES.spec), JSON.stringify(spec, null, 2) + '\n');
    const added = store.syncTrials(plan.trials);
    return { dir, plan, store, added };
  } catch (e) {
    closeSweep(store);
    throw e;
  }
}

/** Give up the coordination and close the store. */
export function closeSweep(store: SweepStore): void {
  try {
    if (store.db.open && !store.db.readonly) releaseCoordination(store);
  } catch {
    // A full or read-only disk: the error that led here is the one to report, and the next
    // run takes over from a coordinator whose process is gone anyway.
  }
  store.close();
}

/** Create or open a sweep folder's store; what the file system refuses is said in one line. */
function openStore(dir: string): SweepStore {
  makeFolder(dir);
  return SweepStore.open(join(dir, SWEEP_FILES.db));
}

/** An existing sweep folder, read-only (status, report); its spec gives the current plan. */
export function readSweep(dir: string): { plan: SweepPlan; store: SweepStore } {
  if (!existsSync(join(dir, SWEEP_FILES.db)))
    throw new RandwireError('sweep', `${dir} is not a sweep folder (no ${SWEEP_FILES.db}); start one with randwire sweep run FILE`);
  // Reading needs no data set: a sweep trained elsewhere can be reported here.
  const { spec } = loadSpec({ path: dir }, false);
  const plan = planSweep(spec, false);
  const store = SweepStore.open(join(dir, SWEEP_FILES.db), true);
  try {
    // Opening reads no page, and a damaged page may lie where no query of the report goes.
    store.checkIntact();
    return { plan, store };
  } catch (e) {
    store.close();
    throw e;
  }
}
