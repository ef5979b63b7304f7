// Geometry of a small histogram picture: which pixel columns belong to which bin and how tall each
// bar is. Pure, so the tree's tooltip image (drawn in the host) is tested without a PNG encoder.

export interface Bar {
  x: number;
  width: number;
  /** Bar height in pixels, 0..height; a non-empty bin is at least 1 pixel tall so it stays visible. */
  height: number;
}

/**
 * One bar per bin, spread over `width` pixels (bins never overlap; a 1 px gap when there is room).
 * Heights are log-scaled (log(1 + count)): MNIST pixels are 81 % zeros, and on a linear scale that
 * one bin would flatten every other.
 */
export function histogramBars(counts: readonly number[], width: number, height: number): Bar[] {
  if (counts.length === 0) return [];
  const peak = Math.log1p(Math.max(...counts));
  const step = width / counts.length;
  const gap = step >= 3 ? 1 : 0;
  return counts.map((count, i) => {
    const x = Math.round(i * step);
    const next = Math.round((i + 1) * step);
    const scaled = peak > 0 ? Math.round((Math.log1p(count) / peak) * height) : 0;
    return { x, width: Math.max(1, next - x - gap), height: count > 0 ? Math.max(1, scaled) : 0 };
  });
}
