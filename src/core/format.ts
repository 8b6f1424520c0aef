/**
 * A duration as people read it, one formatter for the CLI, the reports and the dashboard:
 * seconds below 90 s, minutes below 90 min, hours beyond. `digits` sets the decimals of the
 * seconds and of the hours (minutes always have one).
 */
export function formatDuration(seconds: number, digits: { s?: number; h?: number } = {}): string {
  if (seconds < 90) return `${seconds.toFixed(digits.s ?? 0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(digits.h ?? 1)} h`;
}
