import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmaSmoother } from '../../../src/webview/dashboard/smoothing';

/** A whole series through one smoother, as the charts feed it point by point. */
function smooth(values: readonly number[], weight: number): number[] {
  const ema = new EmaSmoother(weight);
  return values.map((v) => ema.push(v));
}

test('the EMA is debiased like TensorBoard: first value kept, then weighted towards the new ones', () => {
  // weight 0.5: last₁ = 0.5, /(1−0.5) = 1; last₂ = 0.25 + 1.5 = 1.75, /(1−0.25) = 2.333…
  const [a, b, c] = smooth([1, 3, 3], 0.5);
  assert.equal(a, 1);
  assert.ok(Math.abs(b - 7 / 3) < 1e-12);
  // last₃ = 0.875 + 1.5 = 2.375, /(1−0.125) = 2.714…
  assert.ok(Math.abs(c - 2.375 / 0.875) < 1e-12);
});

test('weight 0 gives the raw values; a constant stays constant at any weight', () => {
  assert.deepEqual(smooth([0.3, 2, 0.1], 0), [0.3, 2, 0.1]);
  for (const v of smooth([0.25, 0.25, 0.25, 0.25], 0.9)) assert.ok(Math.abs(v - 0.25) < 1e-12);
});

test('pushing one value at a time equals smoothing the whole series', () => {
  const values = [2.3, 1.1, 0.8, 0.9, 0.5, 0.6, 0.4];
  const ema = new EmaSmoother(0.6);
  assert.deepEqual(
    values.map((v) => ema.push(v)),
    smooth(values, 0.6),
  );
});
