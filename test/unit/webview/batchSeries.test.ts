import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchPoint } from '../../../src/shared/protocol';
import { MetricSeries } from '../../../src/webview/dashboard/batchCharts';
import { epochSeries } from '../../../src/webview/dashboard/epochCharts';
import { EmaSmoother } from '../../../src/webview/dashboard/smoothing';

/** A whole series through one smoother, as the charts feed it point by point. */
function smooth(values: readonly number[], weight: number): number[] {
  const ema = new EmaSmoother(weight);
  return values.map((v) => ema.push(v));
}

const points = (n: number, from = 1): BatchPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    epoch: 1,
    batch: i,
    step: from + i,
    loss: 2 / (from + i),
    accuracy: 1 - 1 / (from + i + 1),
  }));

test('the loss series gets one point per BatchPoint, x = step, raw and smoothed', () => {
  const series = new MetricSeries('loss', 0.6);
  const batches = points(5);
  assert.equal(series.sync(batches), true);
  assert.deepEqual(
    series.raw.map((p) => p.x),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    series.raw.map((p) => p.y),
    batches.map((b) => b.loss),
  );
  assert.deepEqual(
    series.smoothed.map((p) => p.y),
    smooth(
      batches.map((b) => b.loss),
      0.6,
    ),
  );
});

test('new batches are appended to the same arrays (what Chart.js draws), not rebuilt', () => {
  const series = new MetricSeries('accuracy', 0.3);
  const batches = points(3);
  series.sync(batches);
  const raw = series.raw;
  batches.push(...points(4, 4));
  series.sync(batches);
  assert.equal(series.raw, raw);
  assert.equal(series.raw.length, 7);
  assert.deepEqual(
    series.smoothed.map((p) => p.y),
    smooth(
      batches.map((b) => b.accuracy),
      0.3,
    ),
  );
});

test('a shorter batch list (a new run started) is refused so the chart rebuilds', () => {
  const series = new MetricSeries('loss', 0);
  series.sync(points(10));
  assert.equal(series.sync(points(2)), false);
});

test('epoch series: training points for every epoch, validation only where it exists', () => {
  const epochs = [1, 2].map((epoch) => ({
    epoch,
    epochs: 2,
    loss: 0.3 / epoch,
    accuracy: 0.9 + epoch / 100,
    valLoss: epoch === 2 ? 0.2 : null,
    valAccuracy: epoch === 2 ? 0.95 : null,
    seconds: 1,
    samplesPerSecond: 1000,
  }));
  const loss = epochSeries(epochs, 'loss');
  assert.deepEqual(loss.train, [
    { x: 1, y: 0.3 },
    { x: 2, y: 0.15 },
  ]);
  assert.deepEqual(loss.validation, [{ x: 2, y: 0.2 }]);
  assert.deepEqual(epochSeries(epochs, 'accuracy').validation, [{ x: 2, y: 0.95 }]);
});
