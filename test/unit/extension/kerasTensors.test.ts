// A Keras run's weights in the tree: the hover's figures from a real snapshot's statistics (the conv
// fixture run, written by the tensorlens callback) agree with the same figures computed here from
// the snapshot's own values; dtypes Tensor Lens does not train with still say their bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kerasWeightTensor } from '../../../src/extension/kerasTensors';
import { bytesPerElement, tensorDescription, tensorTooltipMarkdown } from '../../../src/extension/tensorText';
import { readRun, readSnapshot } from '../../../src/shared/node/runFiles';
import type { WeightStatistics } from '../../../src/shared/runFormat/snapshot';
import { summarizeTensor } from '../../../src/shared/stats';
import { copyFixtures, runFolder } from '../../support/kerasRuns';

test('kerasWeightTensor: the conv kernel of a real snapshot reads as the book prints it, its statistics those of its values', async () => {
  const base = copyFixtures('keras-tensors');
  const folder = runFolder(base, 'conv-jax');
  const { summary } = await readRun(folder, base);
  const kernel = summary.header?.model.weights.find((w) => w.shape.length === 4);
  assert.ok(kernel);
  const newest = summary.snapshots.at(-1);
  assert.ok(newest);
  const { header, values } = await readSnapshot(folder, newest, new Set([kernel.name]));
  const stats = header.weights.find((w) => w.name === kernel.name);
  assert.ok(stats);
  const shown = kerasWeightTensor(stats);
  assert.equal(tensorDescription(shown), 'float32 [3, 3, 1, 4]');
  const own = summarizeTensor(kernel.name, kernel.shape, 'float32', values.get(kernel.name) as Float32Array);
  assert.equal(shown.stats.count, 36);
  assert.equal(shown.stats.zeroFraction, own.stats.zeroFraction);
  for (const key of ['min', 'max', 'mean', 'std'] as const)
    assert.ok(Math.abs(shown.stats[key] - own.stats[key]) < 1e-6, `${key}: ${shown.stats[key]} vs ${own.stats[key]}`);
  assert.equal(
    shown.histogram.counts.reduce((a, b) => a + b, 0),
    36,
    'every value counted',
  );
  const md = tensorTooltipMarkdown(shown, 'data:image/png;base64,AAAA');
  assert.match(md, /\| rank \(ndim\) \| 4 \|/);
  assert.match(md, /\| shape \| \[3, 3, 1, 4\] \|/);
  assert.match(md, /\| elements \| 36 \|/);
  assert.match(md, /\| bytes \| 144 \(144 B\) \|/);
  assert.match(md, /\| NaN \/ ±Inf \| 0 \/ 0 \|/);
  assert.doesNotMatch(md, /sampled/, 'all 36 values counted');
});

const NAN_WEIGHT: WeightStatistics = {
  name: 'dense/kernel',
  shape: [1000, 100],
  dtype: 'float16',
  trainable: true,
  count: 100_000,
  min: null,
  max: null,
  mean: null,
  std: null,
  norm: null,
  zeros: 0,
  nans: 100_000,
  infs: 0,
  histogram: { low: null, high: null, sampled: 0, counts: [0, 0] },
  update: null,
  values: null,
};

test('kerasWeightTensor: a weight of no finite value shows 0s and says how many NaNs; a sampled histogram says so', () => {
  const shown = kerasWeightTensor(NAN_WEIGHT);
  const md = tensorTooltipMarkdown(shown, 'data:,');
  assert.match(md, /\| min \/ max \| 0 \/ 0 \|/);
  assert.match(md, /\| NaN \/ ±Inf \| 100000 \/ 0 \|/);
  assert.match(md, /\| bytes \| 200,000 /);
  assert.match(md, /0 of the values sampled/);
});

test('bytesPerElement: from the dtype name; null where the name does not say', () => {
  assert.deepEqual(
    ['float32', 'float16', 'bfloat16', 'int64', 'uint8', 'bool', 'complex64', 'string'].map(bytesPerElement),
    [4, 2, 2, 8, 1, 1, 8, null],
  );
});

test('tensorTooltipMarkdown: a weight name from a workspace file cannot add an image, a link or a table cell', () => {
  const hostile = '![x](https://example.invalid/track.png) | [a](command:evil)\n# big';
  const shown = { ...kerasWeightTensor(NAN_WEIGHT), name: hostile, dtype: 'float32|x' };
  const md = tensorTooltipMarkdown(shown, 'data:,');
  assert.doesNotMatch(md, /(?<!\\)\]\((?!data:)/, 'no link or image but the histogram');
  assert.doesNotMatch(md, /\n# big/);
  assert.match(md, /\| dtype \| float32\\\|x \|/);
});
