// Summary statistics and histograms of tensor values. Runs every epoch on every weight, so each is
// one tight pass; bytes (the MNIST images) take a counting path that is exact and faster. The
// summary's types are defined here and re-exported by protocol.ts, which carries them.

export type DType = 'uint8' | 'int32' | 'float32';

export interface TensorStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Fraction of elements exactly 0. */
  zeroFraction: number;
  nanCount: number;
  infCount: number;
}

/** Equal-width bins over [min, max] of the finite values; counts.length is the bin count. */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

export interface TensorSummary {
  name: string;
  shape: number[];
  dtype: DType;
  stats: TensorStats;
  histogram: Histogram;
}

export const HISTOGRAM_BINS = 32;

/** min/max/mean/std are over the finite values; with none, they are 0 (nanCount/infCount say why). */
export function tensorStats(values: ArrayLike<number>): TensorStats {
  if (values instanceof Uint8Array) return statsFromByteCounts(countBytes(values));
  const n = values.length;
  // Sums are shifted by the first finite value so float32 weights with a large mean keep their variance.
  let shift = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(values[i])) {
      shift = values[i];
      break;
    }
  }
  let finite = 0;
  let nanCount = 0;
  let infCount = 0;
  let zeros = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  // One branch-light pass: NaN never wins a comparison; ±Inf is rare and handled after the loop.
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v - v === 0) {
      const d = v - shift;
      finite++;
      sum += d;
      sumSq += d * d;
    } else if (v !== v) nanCount++;
    else infCount++;
  }
  if (finite === 0) return { count: n, min: 0, max: 0, mean: 0, std: 0, zeroFraction: 0, nanCount, infCount };
  if (infCount > 0) ({ min, max } = finiteRange(values));
  const meanShifted = sum / finite;
  const variance = Math.max(0, sumSq / finite - meanShifted * meanShifted);
  return {
    count: n,
    min,
    max,
    mean: shift + meanShifted,
    std: Math.sqrt(variance),
    zeroFraction: zeros / n,
    nanCount,
    infCount,
  };
}

/**
 * Equal-width bins over the finite [min, max]; the last bin includes max. When every finite value
 * is the same (or there are none), the range is widened to [v - 0.5, v + 0.5] so v lands in the
 * middle bin and no width is 0. `range` skips the min/max pass when the caller already has them.
 */
export function histogram(
  values: ArrayLike<number>,
  bins = HISTOGRAM_BINS,
  range?: { min: number; max: number },
): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`histogram bins must be a positive integer, got ${bins}`);
  if (values instanceof Uint8Array) return histogramFromByteCounts(countBytes(values), bins);
  const r = range ?? finiteRange(values);
  const { min, max, scale } = binLayout(r.min, r.max, bins);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    counts[binIndex(v, min, scale, bins)]++;
  }
  return { min, max, counts };
}

export function summarizeTensor(name: string, shape: number[], dtype: DType, values: ArrayLike<number>): TensorSummary {
  if (values instanceof Uint8Array) {
    const counts = countBytes(values);
    return {
      name,
      shape,
      dtype,
      stats: statsFromByteCounts(counts),
      histogram: histogramFromByteCounts(counts, HISTOGRAM_BINS),
    };
  }
  const stats = tensorStats(values);
  // With no finite values stats.min = max = 0, which is what the histogram falls back to anyway.
  return { name, shape, dtype, stats, histogram: histogram(values, HISTOGRAM_BINS, stats) };
}

function finiteRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** How many times each byte value 0–255 occurs. */
function countBytes(values: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  return counts;
}

function statsFromByteCounts(counts: Uint32Array): TensorStats {
  let n = 0;
  let sum = 0;
  let min = -1;
  let max = 0;
  for (let v = 0; v < 256; v++) {
    const c = counts[v];
    if (c === 0) continue;
    if (min < 0) min = v;
    max = v;
    n += c;
    sum += c * v;
  }
  if (n === 0) return { count: 0, min: 0, max: 0, mean: 0, std: 0, zeroFraction: 0, nanCount: 0, infCount: 0 };
  const mean = sum / n;
  let sq = 0;
  for (let v = min; v <= max; v++) sq += counts[v] * (v - mean) * (v - mean);
  return { count: n, min, max, mean, std: Math.sqrt(sq / n), zeroFraction: counts[0] / n, nanCount: 0, infCount: 0 };
}

function histogramFromByteCounts(counts: Uint32Array, bins: number): Histogram {
  let lo = 0;
  while (lo < 255 && counts[lo] === 0) lo++;
  let hi = 255;
  while (hi > lo && counts[hi] === 0) hi--;
  const empty = counts[lo] === 0;
  const { min, max, scale } = binLayout(empty ? NaN : lo, empty ? NaN : hi, bins);
  const out = new Array<number>(bins).fill(0);
  for (let v = lo; v <= hi; v++) out[binIndex(v, min, scale, bins)] += counts[v];
  return { min, max, counts: out };
}

/** Equal-width bins over [min, max]; a zero-width or empty range is widened to ±0.5 around its value (or 0). */
function binLayout(min: number, max: number, bins: number): { min: number; max: number; scale: number } {
  if (!(max > min)) {
    const centre = Number.isFinite(min) ? min : 0;
    min = centre - 0.5;
    max = centre + 0.5;
  }
  return { min, max, scale: bins / (max - min) };
}

/** The bin of a finite v; max itself (and float rounding at the edges) stays inside the last/first bin. */
function binIndex(v: number, min: number, scale: number, bins: number): number {
  const bin = Math.floor((v - min) * scale);
  return bin >= bins ? bins - 1 : bin < 0 ? 0 : bin;
}
