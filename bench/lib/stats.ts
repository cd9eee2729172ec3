/**
 * Small statistics and formatting helpers shared by the benchmarks. The machine is shared
 * and noisy, so results are medians of rounds and ratios of contenders measured in the
 * same run, never absolute numbers compared across runs.
 */

/** The median of `values`; NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** The value below which `fraction` of `sorted` (ascending) lies, nearest rank; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median and the range of `values`: `12.3 (11.0–14.1)`, each through `format`. */
export function formatMedianRange(values: readonly number[], format: (value: number) => string): string {
  if (values.length === 0) return 'n/a';
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

/** `value / reference`, as a string such as `1.12×`. */
export function formatRatio(value: number, reference: number): string {
  return `${(value / reference).toFixed(2)}×`;
}

/** Whole nanoseconds with a thousands separator: `12,345`. */
export function formatNs(ns: number): string {
  return Math.round(ns).toLocaleString('en-US');
}

/** Bytes as mebibytes with two decimals. */
export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** A GitHub-flavoured Markdown table; the first column is left-aligned, the others right. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** The line every result table starts with: when, on what, so that a pasted table dates itself. */
export function environmentLine(): string {
  const day = new Date().toISOString().slice(0, 10);
  return `${day}, Node ${process.version}, ${process.platform}/${process.arch}`;
}
