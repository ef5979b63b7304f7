// Which 2-D matrix of a tensor of any rank the inspector draws, and where each of its cells lies in
// the whole tensor. The host cuts the slice (it holds the values); the webview draws it and names a
// cell by its full index. Rank 0 and 1 are one row, rank 2 the matrix, rank 3 one slice of its first
// axis (one image of a stack), rank 4 a Conv2D kernel [kh, kw, in, out] for one input channel: rows
// are the kh·kw kernel positions and columns the filters, so each column is one filter as a kh×kw
// image, as a first-layer Dense kernel's columns are 28×28 images. Higher ranks: every leading axis
// folded into the rows.
import { FaultError } from './faults';

/** The axis a slice picker walks (rank 3: the first; rank 4: a conv kernel's input channel), or null. */
export function sliceAxis(shape: readonly number[]): number | null {
  if (shape.length === 3) return 0;
  if (shape.length === 4) return 2;
  return null;
}

/** How many slices the picker offers: 0 when the tensor is drawn whole. */
export function sliceCount(shape: readonly number[]): number {
  const axis = sliceAxis(shape);
  return axis === null ? 0 : shape[axis];
}

/** [rows, cols] of the matrix drawn. */
export function matrixDims(shape: readonly number[]): [number, number] {
  switch (shape.length) {
    case 0:
      return [1, 1];
    case 1:
      return [1, shape[0]];
    case 3:
      return [shape[1], shape[2]];
    case 4:
      return [shape[0] * shape[1], shape[3]];
    default:
      return [shape.slice(0, -1).reduce((a, b) => a * b, 1), shape[shape.length - 1]];
  }
}

/** The slice `index` names (null: the first, for a tensor that has slices), or a FaultError that says why not. */
export function checkedSlice(shape: readonly number[], index: number | null): number | null {
  const count = sliceCount(shape);
  if (count === 0) {
    if (index !== null) throw new FaultError({ kind: 'tensorNoSlices', rank: shape.length });
    return null;
  }
  const at = index ?? 0;
  if (!Number.isInteger(at) || at < 0 || at >= count)
    throw new FaultError({ kind: 'tensorSliceOutOfRange', slice: at, last: count - 1 });
  return at;
}

/**
 * The values drawn for slice `index` (row-major [rows, cols] of matrixDims), cut from the whole
 * tensor's row-major values. A tensor without a slice axis is drawn whole (`index` must be null).
 */
export function sliceValues(values: Float32Array, shape: readonly number[], index: number | null): Float32Array {
  const at = checkedSlice(shape, index);
  if (at === null) return values;
  const [rows, cols] = matrixDims(shape);
  if (shape.length === 3) return values.slice(at * rows * cols, (at + 1) * rows * cols);
  // Rank 4 [kh, kw, in, out]: position p = y·kw + x of channel `at` is the run of `out` values at (p·in + at)·out.
  const channels = shape[2];
  const out = new Float32Array(rows * cols);
  for (let p = 0; p < rows; p++)
    out.set(values.subarray((p * channels + at) * cols, (p * channels + at + 1) * cols), p * cols);
  return out;
}

/** The full index of drawn cell [row, col] of slice `index`. */
export function tensorIndex(shape: readonly number[], index: number | null, row: number, col: number): number[] {
  switch (shape.length) {
    case 0:
      return [];
    case 1:
      return [col];
    case 3:
      return [index ?? 0, row, col];
    case 4:
      return [Math.floor(row / shape[1]), row % shape[1], index ?? 0, col];
    default: {
      // Row-major: the row's leading indices, last axis fastest.
      const leading: number[] = [];
      let rest = row;
      for (let axis = shape.length - 2; axis >= 0; axis--) {
        leading.unshift(rest % shape[axis]);
        rest = Math.floor(rest / shape[axis]);
      }
      return [...leading, col];
    }
  }
}

/** The slice as an index expression: `[4]` for rank 3, `[:, :, 2]` for a conv kernel's input channel 2. */
export function sliceLabel(shape: readonly number[], index: number): string {
  const axis = sliceAxis(shape);
  if (axis === null) return '';
  return `[${shape.map((_, a) => (a === axis ? String(index) : ':')).join(', ')}]`.replace(/(, :)+\]$/, ']');
}
