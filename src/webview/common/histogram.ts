// Histograms (src/shared/protocol.ts Histogram: equal-width bins over [min, max]) drawn on a canvas,
// with the same bar geometry as the tree's tooltip picture (src/shared/histogramBars.ts).
import { histogramBars, type BarOptions } from '../../shared/histogramBars';
import type { Histogram } from '../../shared/protocol';
import type { Palette } from './theme';
import { toCss } from './color';

/** Draws the histogram into the canvas at its CSS size (crisp on HiDPI). Reading that size lays
 *  out the page; callers drawing several canvases measure them all first and pass `size`. */
export function drawHistogram(
  canvas: HTMLCanvasElement,
  histogram: Histogram,
  palette: Palette,
  { size = canvasSize(canvas), scale }: BarOptions & { size?: { width: number; height: number } } = {},
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
  // The bars stand on the baseline drawn below (the bottom pixel row).
  for (const bar of histogramBars(histogram.counts, width, height - 1, { scale }))
    ctx.fillRect(bar.x, height - 1 - bar.height, bar.width, bar.height);
  ctx.strokeStyle = toCss(palette.grid);
  ctx.beginPath();
  ctx.moveTo(0, height - 0.5);
  ctx.lineTo(width, height - 0.5);
  ctx.stroke();
}

/**
 * The canvas's CSS size. A hidden canvas measures 0×0; it then gets the size `.histogram` has in
 * media/webview/common.css (80 px tall) and a narrow panel's width, so it is drawn, not blank.
 */
export function canvasSize(canvas: HTMLCanvasElement): { width: number; height: number } {
  return { width: canvas.clientWidth || 240, height: canvas.clientHeight || 80 };
}
