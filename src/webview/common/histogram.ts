// Histograms (src/shared/protocol.ts Histogram: equal-width bins over [min, max]) drawn as bars.
import type { Histogram } from '../../shared/protocol';
import type { Palette } from './theme';
import { toCss } from './color';

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bars filling width×height, tallest bin reaching the top; empty bins have height 0. */
export function histogramBars(histogram: Histogram, width: number, height: number): Bar[] {
  const n = histogram.counts.length;
  const peak = Math.max(0, ...histogram.counts);
  return histogram.counts.map((count, i) => {
    const h = peak > 0 ? (count / peak) * height : 0;
    return { x: (i * width) / n, y: height - h, width: width / n, height: h };
  });
}

/** Draws the histogram into the canvas at its CSS size (crisp on HiDPI). Reading that size lays
 *  out the page; callers drawing several canvases measure them all first and pass `size`. */
export function drawHistogram(
  canvas: HTMLCanvasElement,
  histogram: Histogram,
  palette: Palette,
  size = canvasSize(canvas),
): void {
  const ratio = window.devicePixelRatio || 1;
  const { width, height } = size;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = toCss(palette.series[0]);
  for (const bar of histogramBars(histogram, width, height))
    ctx.fillRect(bar.x, bar.y, Math.max(1, bar.width - 0.5), bar.height);
  ctx.strokeStyle = toCss(palette.grid);
  ctx.beginPath();
  ctx.moveTo(0, height - 0.5);
  ctx.lineTo(width, height - 0.5);
  ctx.stroke();
}

/** The canvas's CSS size, with a default for one not laid out (hidden). */
export function canvasSize(canvas: HTMLCanvasElement): { width: number; height: number } {
  return { width: canvas.clientWidth || 240, height: canvas.clientHeight || 80 };
}
