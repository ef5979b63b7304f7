import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mnistSample } from '../../../src/shared/mnist';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { HISTOGRAM_BINS, histogram, summarizeTensor, tensorStats } from '../../../src/shared/stats';

const close = (actual: number, expected: number, tolerance = 1e-12, what = 'value'): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

test('stats: hand-computed mean and population std', () => {
  const s = tensorStats([1, 2, 3, 4]);
  assert.deepEqual(
    { ...s, std: 0 },
    { count: 4, min: 1, max: 4, mean: 2.5, std: 0, zeroFraction: 0, nanCount: 0, infCount: 0 },
  );
  close(s.std, Math.sqrt(1.25)); // ((1.5² + 0.5²) · 2) / 4
});

test('stats: NaN and ±Inf are counted and left out of min/max/mean/std; zeros are counted', () => {
  const s = tensorStats([0, 0, 1, NaN, Infinity, -Infinity, 3]);
  assert.equal(s.count, 7);
  assert.equal(s.nanCount, 1);
  assert.equal(s.infCount, 2);
  assert.equal(s.min, 0);
  assert.equal(s.max, 3);
  close(s.mean, 1); // finite: 0 0 1 3
  close(s.std, Math.sqrt(1.5)); // (1 + 1 + 0 + 4) / 4
  close(s.zeroFraction, 2 / 7);
});

test('stats: all-equal, empty and all-NaN inputs give numbers, never NaN', () => {
  const equal = tensorStats(new Float32Array(5).fill(-2.5));
  assert.deepEqual(equal, {
    count: 5,
    min: -2.5,
    max: -2.5,
    mean: -2.5,
    std: 0,
    zeroFraction: 0,
    nanCount: 0,
    infCount: 0,
  });
  assert.deepEqual(tensorStats([]), {
    count: 0,
    min: 0,
    max: 0,
    mean: 0,
    std: 0,
    zeroFraction: 0,
    nanCount: 0,
    infCount: 0,
  });
  assert.deepEqual(tensorStats([NaN, NaN, Infinity]), {
    count: 3,
    min: 0,
    max: 0,
    mean: 0,
    std: 0,
    zeroFraction: 0,
    nanCount: 2,
    infCount: 1,
  });
});

test('stats: a small spread on a large offset keeps its std (no catastrophic cancellation)', () => {
  const s = tensorStats([1e8 + 0.1, 1e8 + 0.2, 1e8 + 0.3]);
  close(s.mean, 1e8 + 0.2, 1e-7, 'mean');
  close(s.std, Math.sqrt(0.02 / 3), 1e-7, 'std');
});

test('stats: Float32Array weights match a two-pass float64 reference', () => {
  // Deterministic pseudo-weights (a linear congruential sequence), Glorot-like scale.
  const w = new Float32Array(784 * 512);
  let seed = 12345;
  for (let i = 0; i < w.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    w[i] = (seed / 2147483648 - 0.5) * 0.1;
  }
  let mean = 0;
  let min = Infinity;
  for (const v of w) {
    mean += v;
    if (v < min) min = v;
  }
  mean /= w.length;
  let sq = 0;
  for (const v of w) sq += (v - mean) ** 2;
  const s = tensorStats(w);
  close(s.mean, mean, 1e-12, 'mean');
  close(s.std, Math.sqrt(sq / w.length), 1e-9, 'std');
  assert.equal(s.min, min);
});

test('stats: the byte counting path agrees with the general path on real MNIST pixels', () => {
  const d = loadMnist();
  const bytes = d.test.images.subarray(0, 500 * 784);
  const asNumbers = Array.from(bytes);
  const fast = tensorStats(bytes);
  const general = tensorStats(asNumbers);
  for (const key of Object.keys(general) as (keyof typeof general)[]) close(fast[key], general[key], 1e-9, key);
  assert.deepEqual(histogram(bytes), histogram(asNumbers));
  assert.deepEqual(histogram(mnistSample(d.test, 0), 7), histogram(Array.from(mnistSample(d.test, 0)), 7));
});

test('histogram: equal-width bins over [min, max], max falls in the last bin', () => {
  assert.deepEqual(histogram([0, 1, 2, 3], 4), { min: 0, max: 3, counts: [1, 1, 1, 1] });
  // Bin width 0.5 over [0, 1]: 0.49 → bin 0, 0.5 → bin 1.
  assert.deepEqual(histogram([0, 0.49, 0.5, 1], 2), { min: 0, max: 1, counts: [2, 2] });
  assert.deepEqual(histogram([-1, -1, 9], 5), { min: -1, max: 9, counts: [2, 0, 0, 0, 1] });
});

test('histogram: NaN/Inf are not counted; the default has HISTOGRAM_BINS bins', () => {
  const h = histogram([NaN, -Infinity, 0, 4, Infinity, 2]);
  assert.equal(h.counts.length, HISTOGRAM_BINS);
  assert.equal(h.min, 0);
  assert.equal(h.max, 4);
  assert.equal(
    h.counts.reduce((a, b) => a + b, 0),
    3,
  );
  assert.equal(h.counts[0], 1);
  assert.equal(h.counts[16], 1); // 2 is the middle of [0, 4]
  assert.equal(h.counts[31], 1);
});

test('histogram: all-equal values sit in the middle bin of [v - 0.5, v + 0.5]; empty input has empty bins', () => {
  assert.deepEqual(histogram(new Float32Array(6), 4), { min: -0.5, max: 0.5, counts: [0, 0, 6, 0] });
  assert.deepEqual(histogram([3, 3, 3], 3), { min: 2.5, max: 3.5, counts: [0, 3, 0] });
  assert.deepEqual(histogram(new Uint8Array(4).fill(200), 2), { min: 199.5, max: 200.5, counts: [0, 4] });
  assert.deepEqual(histogram([NaN], 2), { min: -0.5, max: 0.5, counts: [0, 0] });
  assert.deepEqual(histogram(new Uint8Array(0), 2), { min: -0.5, max: 0.5, counts: [0, 0] });
  assert.throws(() => histogram([1], 0), /positive integer/);
});

test('summarizeTensor: carries name/shape/dtype and matches tensorStats and histogram', () => {
  const values = new Float32Array([0.5, -0.25, 0, NaN, 1]);
  const s = summarizeTensor('dense/kernel', [5], 'float32', values);
  assert.equal(s.name, 'dense/kernel');
  assert.deepEqual(s.shape, [5]);
  assert.equal(s.dtype, 'float32');
  assert.deepEqual(s.stats, tensorStats(values));
  assert.deepEqual(s.histogram, histogram(values));
  const zeros = summarizeTensor('dense/bias', [512], 'float32', new Float32Array(512));
  assert.deepEqual(
    zeros.histogram.counts.filter((c) => c > 0),
    [512],
  );
  assert.equal(zeros.stats.zeroFraction, 1);
});
