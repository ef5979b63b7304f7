// Colour arithmetic for canvases and charts: theme colours arrive as CSS strings
// (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()) and are blended into heat and diverging scales.

export type Rgba = [number, number, number, number];

export function parseColor(css: string): Rgba | null {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (hex) {
    let h = hex[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
  }
  const fn = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (fn) {
    const parts = fn[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length < 3 || parts.some((p) => Number.isNaN(p))) return null;
    return [parts[0], parts[1], parts[2], parts[3] ?? 1];
  }
  return null;
}

/** a + (b − a)·t per channel, t clamped to [0, 1]. */
export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u, a[3] + (b[3] - a[3]) * u];
}

export function toCss(c: Rgba): string {
  return `rgba(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])}, ${+c[3].toFixed(3)})`;
}

/** The same colour at another opacity (for faint raw series behind a smoothed one). */
export function withAlpha(c: Rgba, alpha: number): string {
  return toCss([c[0], c[1], c[2], alpha]);
}
