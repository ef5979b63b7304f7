// Small canvas helpers shared by the panels: pixel buffers in, pixels on screen out.
import type { Palette } from './theme';
import { absMax, paint } from './scales';
import { MNIST_SIDE } from '../../shared/mnist';

/** Sizes the canvas to width×height device pixels and writes the RGBA bytes into it. */
export function putPixels(canvas: HTMLCanvasElement, width: number, height: number, rgba: Uint8ClampedArray): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(width, height);
  image.data.set(rgba);
  ctx.putImageData(image, 0, 0);
}

/** A 28×28 uint8 digit (0 = background ink-free, 255 = full ink) in the theme's colours. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, palette: Palette): void {
  putPixels(
    canvas,
    MNIST_SIDE,
    MNIST_SIDE,
    paint(pixels, { kind: 'sequential', min: 0, max: 255, low: palette.background, high: palette.foreground }),
  );
}

/** The canvas cell [row, col] under a point given in CSS pixels relative to the canvas box. */
export function cellAt(
  x: number,
  y: number,
  boxWidth: number,
  boxHeight: number,
  rows: number,
  cols: number,
): [number, number] | null {
  if (x < 0 || y < 0 || x >= boxWidth || y >= boxHeight || rows === 0 || cols === 0) return null;
  return [
    Math.min(rows - 1, Math.floor((y / boxHeight) * rows)),
    Math.min(cols - 1, Math.floor((x / boxWidth) * cols)),
  ];
}

/**
 * A unit's incoming weights as an image on the diverging scale (one per pixel: a hidden unit's 784 as
 * the 28×28 digit; a conv filter's kh·kw as its kh×kw window): the pixels whose ink raises the unit
 * at one end, those that lower it at the other.
 */
export function putUnitWeights(
  canvas: HTMLCanvasElement,
  weights: Float32Array,
  palette: Palette,
  [height, width]: readonly [number, number] = [MNIST_SIDE, MNIST_SIDE],
): void {
  putPixels(
    canvas,
    width,
    height,
    paint(weights, {
      kind: 'diverging',
      limit: absMax(weights),
      negative: palette.negative,
      zero: palette.background,
      positive: palette.positive,
    }),
  );
}
