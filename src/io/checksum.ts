import { createHash } from 'node:crypto';
import { RandwireError } from '../core/errors.js';

/** SHA-256 of some bytes, as lower-case hex (the form `sha256sum` prints). */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Refuse bytes whose SHA-256 differs from the one recorded when they were written: a file
 * replaced or damaged on disk must not train on or predict silently. Files written before
 * checksums were recorded (`expected` undefined) are accepted as they are.
 */
export function verifySha256(bytes: Uint8Array, expected: string | undefined, file: string, recordedIn: string): void {
  if (expected === undefined) return;
  if (sha256(bytes) !== expected) {
    throw new RandwireError('io', `${file} is damaged: its SHA-256 differs from the one recorded in ${recordedIn}`);
  }
}
