// Number formatting shared by the panels.

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

/** A value for a tooltip or a readout: 4 significant digits, exponent for tiny/huge values. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0 || Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : v.toPrecision(4);
}
