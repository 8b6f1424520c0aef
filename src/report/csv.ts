/** CSV as pandas and R read it: a header row, quoted fields where needed, empty for null. */
export function toCsv<T extends object>(rows: T[], columns: Array<keyof T & string>): string {
  const esc = (v: unknown): string => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => esc((r as Record<string, unknown>)[c])).join(','))].join('\n') + '\n';
}

/** A Markdown table; `right` columns are numbers. */
export function toMarkdown(head: string[], rows: string[][], right: (i: number) => boolean = (i) => i > 0): string {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (right(i) ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
