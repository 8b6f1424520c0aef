import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SWEEP_FILES, RUNS_DIR } from '../io/run-layout.js';
import { RUN_FILES } from '../experiment/run-files.js';

export const FOLDER_KINDS = ['sweep', 'results', 'run'] as const;
export type FolderKind = (typeof FOLDER_KINDS)[number];

export interface FolderItem {
  kind: FolderKind;
  /** Relative to the served folder, with '/' separators ('' is the folder itself). */
  path: string;
  name: string;
}

/** What a folder is: a sweep, a `reproduce` results folder, a run, or none of them. */
export function folderKind(dir: string): FolderKind | undefined {
  if (existsSync(join(dir, SWEEP_FILES.db)) && existsSync(join(dir, SWEEP_FILES.spec))) return 'sweep';
  if (existsSync(join(dir, 'reproduce.json')) || existsSync(join(dir, RUNS_DIR))) return 'results';
  if (existsSync(join(dir, RUN_FILES.config))) return 'run';
  return undefined;
}

/** A real folder (a symlink to a folder is not followed: it may lead out of the served one). */
const isDir = (p: string): boolean => lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** A folder's entries; one this user cannot read has none. */
function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * The sweeps, results and runs of a served folder: the folder itself if it is one, else those
 * found up to `depth` levels below it (a folder of results folders, `results/`, `sweeps/`).
 */
export function findItems(root: string, depth = 2): FolderItem[] {
  const items: FolderItem[] = [];
  const visit = (dir: string, level: number): void => {
    const kind = folderKind(dir);
    const path = relative(root, dir).split(/[\\/]/).filter(Boolean).join('/');
    if (kind) {
      items.push({ kind, path, name: path || dir.split(/[\\/]/).pop() || dir });
      return;
    }
    if (level >= depth) return;
    for (const name of entries(dir)) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      if (isDir(p)) visit(p, level + 1);
    }
  };
  visit(root, 0);
  return items;
}
