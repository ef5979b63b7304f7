import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { filteredIndices, gridColumns, parseLabelFilter, visibleRange } from '../../../src/webview/dataset/virtualGrid';

const mnist = loadMnist();

test('columns fit the width; at least one', () => {
  assert.equal(gridColumns(520, 64), 8);
  assert.equal(gridColumns(30, 64), 1);
});

test('the visible rows for a scroll offset, with overscan, never past the end', () => {
  // 60,000 samples in 8 columns = 7,500 rows of 64 px; scrolled to row 1,000 with a 600 px viewport.
  const r = visibleRange(64_000, 600, 64, 8, 60_000, 2);
  assert.deepEqual(r, { first: 998 * 8, end: 1012 * 8 });
  const end = visibleRange(7500 * 64 - 600, 600, 64, 8, 60_000, 2);
  assert.equal(end.first, (7500 - 10 - 2) * 8, 'the last rows, overscan above');
  assert.equal(end.end, 60_000);
  assert.deepEqual(visibleRange(0, 600, 64, 8, 5, 2), { first: 0, end: 5 });
});

test('label filter over the real MNIST labels', () => {
  const test10k = mnist.test.labels;
  assert.equal(filteredIndices(test10k, 'all', null).length, 10_000);
  const fives = filteredIndices(test10k, 5, null);
  assert.equal(fives.length, 892);
  assert.ok([...fives].every((i) => test10k[i] === 5));
  assert.equal(filteredIndices(mnist.train.labels, 1, null).length, 6742);
});

test('the mistakes filter keeps exactly the samples whose prediction differs', () => {
  const labels = mnist.test.labels.subarray(0, 100);
  const predictions = Uint8Array.from(labels);
  predictions[3] = (predictions[3] + 1) % 10;
  predictions[42] = (predictions[42] + 5) % 10;
  assert.deepEqual([...filteredIndices(labels, 'mistakes', predictions)], [3, 42]);
  assert.equal(filteredIndices(labels, 'mistakes', null).length, 0);
});

test('filter values from the select', () => {
  assert.equal(parseLabelFilter('7'), 7);
  assert.equal(parseLabelFilter('0'), 0);
  assert.equal(parseLabelFilter('all'), 'all');
  assert.equal(parseLabelFilter('mistakes'), 'mistakes');
  assert.equal(parseLabelFilter('12'), 'all');
});
