import { RandwireError } from './errors.js';

/** Refuse outputs that are not numbers: damaged weights or a diverged model, never a score. */
export function assertFinite(values: ArrayLike<number>, model: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RandwireError('model', `${model} gives ${values[i]} outputs: its weights are damaged or training diverged`);
    }
  }
}
