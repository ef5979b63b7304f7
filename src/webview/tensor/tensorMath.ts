// Pure lookups on a TensorPayload: the value under a cell, the columns of a first-layer kernel or a
// conv kernel's slice seen as images, and the colour scale that suits its values. Which matrix a
// tensor of any rank draws is src/shared/tensorSlice.ts (the host cuts the same slices).
import { formatShape } from '../../shared/format';
import type { TensorPayload } from '../../shared/webviewProtocol';
import type { ColorScale } from '../common/scales';

import type { Palette } from '../common/theme';
import { MNIST_PIXELS, MNIST_SIDE } from '../../shared/mnist';

/** CSS pixels per heatmap cell: up to 16, shrinking (independently per axis) to fit the space. */
export function cellSize(rows: number, cols: number, maxWidth: number, maxHeight: number): [number, number] {
  const fit = (space: number, n: number): number => Math.max(1, Math.min(16, Math.floor(space / n)));
  const width = fit(maxWidth, cols);
  const height = fit(maxHeight, rows);
  // Square cells when both axes allow it, so images (28×28 slices) keep their proportions.
  const square = Math.min(width, height);
  return square >= 4 ? [square, square] : [width, height];
}

export function valueAt(values: ArrayLike<number>, cols: number, row: number, col: number): number {
  return values[row * cols + col];
}

/** Column `unit` of a row-major [rows, cols] matrix: the weights into one hidden unit. */
export function kernelColumn(values: ArrayLike<number>, rows: number, cols: number, unit: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = values[r * cols + unit];
  return out;
}

/**
 * [height, width] of the image each drawn column is, or null: a kernel whose rows are the 784 pixels
 * of an MNIST image (its columns are hidden units, 28×28), or a conv kernel [kh, kw, in, out] (its
 * drawn columns are the filters on one input channel, kh×kw).
 */
export function unitImageSize(shape: readonly number[]): [number, number] | null {
  if (shape.length === 2 && shape[0] === MNIST_PIXELS) return [MNIST_SIDE, MNIST_SIDE];
  if (shape.length === 4) return [shape[0], shape[1]];
  return null;
}

export function tensorTitle(tensor: Pick<TensorPayload, 'ref' | 'dtype' | 'shape'>): string {
  return `${tensor.ref.name} ${tensor.dtype} ${formatShape(tensor.shape)}`;
}

/** Signed values get a diverging scale centred on 0; unsigned ones run from background to ink. */
export function scaleFor(values: ArrayLike<number>, min: number, max: number, palette: Palette): ColorScale {
  if (min < 0)
    return {
      kind: 'diverging',
      limit: robustAbsMax(values),
      negative: palette.negative,
      zero: palette.background,
      positive: palette.positive,
    };
  return { kind: 'sequential', min: Math.min(0, min), max, low: palette.background, high: palette.foreground };
}

/** The 99th percentile of |v|: a few outlying weights should not wash every other cell out. */
export function robustAbsMax(values: ArrayLike<number>): number {
  // A selection, not a sort: a [784, 512] gradient or kernel opens in milliseconds, not a tenth of a second.
  const abs = new Float32Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a)) abs[n++] = a;
  }
  return n === 0 ? 0 : kthSmallest(abs.subarray(0, n), Math.min(n - 1, Math.floor(n * 0.99)));
}

/** The k-th smallest value (from 0), by quickselect; reorders `values`. */
export function kthSmallest(values: Float32Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k];
}

/** The cursor moved by an arrow key, kept inside [0, rows) × [0, cols). */
export function moveCursor(cursor: [number, number], key: string, rows: number, cols: number): [number, number] | null {
  const [r, c] = cursor;
  const clamp = (v: number, n: number): number => Math.max(0, Math.min(n - 1, v));
  switch (key) {
    case 'ArrowUp':
      return [clamp(r - 1, rows), c];
    case 'ArrowDown':
      return [clamp(r + 1, rows), c];
    case 'ArrowLeft':
      return [r, clamp(c - 1, cols)];
    case 'ArrowRight':
      return [r, clamp(c + 1, cols)];
    case 'Home':
      return [r, 0];
    case 'End':
      return [r, cols - 1];
    default:
      return null;
  }
}
