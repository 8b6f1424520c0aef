import { formatDuration } from '../core/format.js';
import type { DamageProgress } from '../experiment/damage.js';

/**
 * `damage` progress for a person waiting: a line when the work starts, then one every few seconds
 * with the share done and the time left (a batch of images through every removal takes minutes
 * on a full model, so lines per batch were too rare).
 */
export function damageProgressLines(stream: NodeJS.WritableStream, everyMs = 5000): (p: DamageProgress) => void {
  const started = Date.now();
  let last = -Infinity;
  return (p) => {
    const now = Date.now();
    const done = p.fraction >= 1;
    if (now - last < everyMs && !done) return;
    last = now;
    const elapsed = (now - started) / 1000;
    const left = p.fraction > 0 && !done ? `, about ${formatDuration((elapsed / p.fraction) * (1 - p.fraction))} left` : '';
    stream.write(
      `damage: ${(p.fraction * 100).toFixed(0)} % (test images ${p.firstImage}-${p.lastImage} of ${p.images}: removal ${p.removalsDone - 1} of ${p.removals - 1})${left}\n`,
    );
  };
}
