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

/**
 * A count with its noun, singular for one: `plural(1, 'epoch')` is "1 epoch", `plural(3, 'epoch')`
 * "3 epochs". `plural` for nouns that do not just add an s ("1 graph family", "2 graph families").
 */
export function plural(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Control characters (terminal escapes among them) but the line feed, line separators and bidirectional overrides. */
const unprintable = (code: number): boolean =>
  (code < 0x20 && code !== 0x0a) ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x2028 ||
  code === 0x2029 ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

/**
 * Text from a file or a user, safe to print in a one-line message: what a terminal would act on
 * (escape sequences, bells, carriage returns) shown as \xNN or \uNNNN, and cut to `max` characters.
 * Line feeds stay only with `keepLineFeeds` (a message that lists problems a line each).
 */
export function printable(text: string, max = Number.POSITIVE_INFINITY, keepLineFeeds = false): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  const escaped = Array.from(cut, (c) => {
    const code = c.charCodeAt(0);
    if (!unprintable(code)) return c;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }).join('');
  return keepLineFeeds ? escaped : escaped.replace(/\n/g, '\\n');
}
