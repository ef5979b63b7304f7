// How numbers, counts, bytes and shapes read, in the CLI, the tree and the panels alike.

/** 4 significant digits without exponent noise for everyday magnitudes; integers below 10⁶ exactly. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-3) return v.toExponential(3);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** "1 thread", "2 threads": a count and its English noun (the CLI's text; panels use their strings). */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** 401920 → "401,920" (Keras prints parameter counts this way). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.97912 → "97.91%". */
export function formatPercent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Seconds → "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** A memory size in binary units: "512 B", "44.9 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A size as Keras's summary prints it: 1024-based, two decimals, "1.55 MB". */
export function kerasBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** A shape as tfjs prints it, batch dimension as null: `[null, 512]`, `[60000, 28, 28]`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** A shape as numpy and Keras print it: `(None, 512)`, `(60000, 28, 28)`, `(60000,)` for one dimension. */
export function pythonShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}
