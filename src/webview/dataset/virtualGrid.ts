// Which part of a long grid of samples is on screen: only those rows get elements.

export interface VisibleRange {
  /** Positions in the (filtered) list of the first and one-past-last sample drawn. */
  first: number;
  end: number;
}

export function gridColumns(width: number, cellSize: number): number {
  return Math.max(1, Math.floor(width / cellSize));
}

export function totalRows(count: number, columns: number): number {
  return Math.ceil(count / columns);
}

export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  columns: number,
  count: number,
  overscan = 2,
): VisibleRange {
  const rows = totalRows(count, columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const endRow = Math.min(rows, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first: Math.min(count, firstRow * columns), end: Math.min(count, endRow * columns) };
}

/** Dataset indices shown for a label filter ('all', a digit, or the model's mistakes). */
export function filteredIndices(labels: Uint8Array, filter: LabelFilter, predictions: Uint8Array | null): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (filter === 'all') out.push(i);
    else if (filter === 'mistakes') {
      if (predictions && predictions[i] !== labels[i]) out.push(i);
    } else if (labels[i] === filter) out.push(i);
  }
  return Int32Array.from(out);
}

export type LabelFilter = 'all' | 'mistakes' | number;

export function parseLabelFilter(value: string): LabelFilter {
  if (value === 'mistakes') return 'mistakes';
  const digit = Number(value);
  return value !== '' && Number.isInteger(digit) && digit >= 0 && digit <= 9 ? digit : 'all';
}
