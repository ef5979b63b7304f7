// A Keras run's weights as the tree shows them (the same figures and hover as Tensor Lens' own
// tensors), from a snapshot's statistics (docs/run-format.md §3): no values are read for this.
import type { WeightStatistics } from '../shared/runFormat/snapshot';
import type { ShownTensor } from './tensorText';

/** A snapshot's statistics of one weight; a tensor with no finite value shows 0s, its NaN/Inf counts say why (as stats.ts does). */
export function kerasWeightTensor(w: WeightStatistics): ShownTensor {
  const h = w.histogram;
  return {
    name: w.name,
    shape: w.shape,
    dtype: w.dtype,
    stats: {
      count: w.count,
      min: w.min ?? 0,
      max: w.max ?? 0,
      mean: w.mean ?? 0,
      std: w.std ?? 0,
      zeroFraction: w.count > 0 ? w.zeros / w.count : 0,
      nanCount: w.nans,
      infCount: w.infs,
    },
    histogram: { min: h.low ?? 0, max: h.high ?? 0, counts: h.counts },
    sampled: h.sampled,
  };
}
