import { sep } from 'node:path';

/**
 * An error message as a browser may see it: paths inside the served folder relative to it, so an
 * answer never tells a page where the folder lies on the machine (user names, mount points).
 */
export function relativeToRoot(message: string, realRoot: string, givenRoot = realRoot): string {
  let out = message;
  // The longer of two nested roots first, so that one does not leave the other's tail behind.
  for (const root of [realRoot, givenRoot].sort((a, b) => b.length - a.length)) {
    out = out
      .split(root + sep)
      .join('')
      .split(root)
      .join('.');
  }
  return out;
}
