// Geometry of a small histogram picture: which pixel columns belong to which bin and how tall each
// bar is. One geometry for the tree's tooltip image (a PNG drawn in the host) and the panels'
// canvases; pure, so both are tested without a PNG encoder or a browser.

export interface Bar {
  x: number;
  width: number;
  /** Bar height in pixels, 0..height; a non-empty bin is at least 1 pixel tall so it stays visible. */
  height: number;
}

export interface BarOptions {
  /**
   * 'log' (the default) scales heights by log(1 + count): MNIST pixels are 81 % zeros, and on a
   * linear scale that one bin would flatten every other. 'linear' suits bell-shaped counts (weights).
   */
  scale?: 'log' | 'linear';
}

/**
 * One bar per bin, spread over `width` pixels (bins never overlap; a 1 px gap when there is room),
 * the fullest bin `height` tall.
 */
export function histogramBars(
  counts: readonly number[],
  width: number,
  height: number,
  { scale = 'log' }: BarOptions = {},
): Bar[] {
  if (counts.length === 0) return [];
  const scaled = scale === 'log' ? Math.log1p : (count: number) => count;
  const peak = scaled(Math.max(...counts));
  const step = width / counts.length;
  const gap = step >= 3 ? 1 : 0;
  return counts.map((count, i) => {
    const x = Math.round(i * step);
    const next = Math.round((i + 1) * step);
    const barHeight = peak > 0 ? Math.round((scaled(count) / peak) * height) : 0;
    return { x, width: Math.max(1, next - x - gap), height: count > 0 ? Math.max(1, barHeight) : 0 };
  });
}
