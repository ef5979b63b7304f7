// What the tree shows for a tensor, on the real MNIST tensors and on a trained-like float tensor:
// description, markdown tooltip figures, and the histogram picture (decoded back from PNG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { HISTOGRAM_IMAGE, histogramDataUri, histogramPng } from '../../../src/extension/histogramPng';
import { ENGLISH_TENSOR_WORDS, tensorDescription, tensorTooltipMarkdown } from '../../../src/extension/tensorText';
import { formatNumber, formatShape } from '../../../src/shared/format';
import { histogramBars } from '../../../src/shared/histogramBars';
import { describeMnist } from '../../../src/shared/mnist';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { summarizeTensor } from '../../../src/shared/stats';

const [trainImages, trainLabels] = describeMnist(loadMnist());

test('description and shapes read as the book prints them', () => {
  assert.equal(tensorDescription(trainImages), 'uint8 [60000, 28, 28]');
  assert.equal(tensorDescription(trainLabels), 'uint8 [60000]');
  assert.equal(formatShape([null, 512]), '[null, 512]');
  assert.equal(formatNumber(0.0012346), '0.001235');
  assert.equal(formatNumber(33.318421), '33.32');
  assert.equal(formatNumber(1e-9), '1.000e-9');
});

test('tooltip of train_images: ndim, shape, dtype, element count, bytes, stats, zeros, NaNs, image', () => {
  const md = tensorTooltipMarkdown(trainImages, 'data:image/png;base64,AAAA');
  assert.match(md, /\| rank \(ndim\) \| 3 \|/);
  assert.match(md, /\| shape \| \[60000, 28, 28\] \|/);
  assert.match(md, /\| dtype \| uint8 \|/);
  assert.match(md, /\| elements \| 47,040,000 \|/);
  assert.match(md, /\| bytes \| 47,040,000 \(44\.9 MiB\) \|/);
  assert.match(md, /\| min \/ max \| 0 \/ 255 \|/);
  // MNIST's well-known pixel mean ≈ 33.32 and std ≈ 78.57 (on 0–255).
  assert.match(md, /\| mean ± std \| 33\.32 ± 78\.57 \|/);
  const zeros = Math.round(trainImages.stats.zeroFraction * trainImages.stats.count);
  assert.ok(zeros > 0.8 * 47_040_000 && zeros < 0.82 * 47_040_000, `${zeros} zero pixels`);
  assert.match(md, new RegExp(`\\| zeros \\| ${zeros.toLocaleString('en-US')} \\(`));
  assert.match(md, /\| NaN \/ ±Inf \| 0 \/ 0 \|/);
  assert.match(md, /!\[histogram of train_images from 0 to 255\]\(data:image\/png;base64,AAAA\)/);
});

test("the tooltip speaks the words it is given (the host passes the display language's)", () => {
  const korean = {
    ...ENGLISH_TENSOR_WORDS,
    rank: '랭크 (ndim)',
    meanStd: '평균 ± 표준편차',
    histogramAlt: '{0}의 히스토그램 ({1}에서 {2}까지)',
    bins: '구간 {0}개, 개수는 로그 눈금{1}',
  };
  const md = tensorTooltipMarkdown(trainImages, 'data:,', korean);
  assert.match(md, /\| 랭크 \(ndim\) \| 3 \|/);
  assert.match(md, /\| 평균 ± 표준편차 \| 33\.32 ± 78\.57 \|/);
  assert.match(md, /!\[train_images의 히스토그램 \(0에서 255까지\)\]\(data:,\)/);
  assert.match(md, /0 … 255 \(구간 \d+개, 개수는 로그 눈금\)$/);
  assert.doesNotMatch(md, /rank|mean|histogram of|log-scaled/);
});

test('float32 bytes count 4 per element; NaNs are counted', () => {
  const values = new Float32Array([0, 1, Number.NaN, -2, 0.5, Infinity]);
  const md = tensorTooltipMarkdown(summarizeTensor('w', [2, 3], 'float32', values), 'data:,');
  assert.match(md, /\| bytes \| 24 \(24 B\) \|/);
  assert.match(md, /\| NaN \/ ±Inf \| 1 \/ 1 \|/);
});

test('histogram bars: one per bin, left to right without overlap, tallest bin full height, empty bins flat', () => {
  const bars = histogramBars([0, 9, 99, 1], 120, 39);
  // log(1 + count) / log(1 + 99) of 39 px: log 10 is half of log 100, log 2 is 0.15 of it.
  assert.deepEqual(
    bars.map((b) => b.height),
    [0, 20, 39, 6],
  );
  for (let i = 1; i < bars.length; i++) assert.ok(bars[i].x >= bars[i - 1].x + bars[i - 1].width, 'no overlap');
  assert.ok(bars.at(-1)!.x + bars.at(-1)!.width <= 120);
  assert.equal(histogramBars([1, 1e300], 120, 39)[0].height, 1, 'a tiny non-empty bin stays visible');
  assert.ok(
    histogramBars([300_000, 38_000_000], 120, 39)[0].height > 20,
    'a skewed histogram keeps its small bins readable',
  );
  assert.deepEqual(histogramBars([], 120, 39), []);
});

test('histogram PNG decodes to 120×40 with bars as tall as their bins', () => {
  const counts = trainLabels.histogram.counts;
  const png = PNG.sync.read(histogramPng(counts));
  assert.equal(png.width, HISTOGRAM_IMAGE.width);
  assert.equal(png.height, HISTOGRAM_IMAGE.height);
  const columnHeight = (x: number) => {
    let h = 0;
    for (let y = 0; y < png.height - 1; y++) if (png.data[(y * png.width + x) * 4 + 3] > 0) h++;
    return h;
  };
  const bars = histogramBars(counts, png.width, png.height - 1);
  for (const bar of bars) assert.equal(columnHeight(bar.x), bar.height, `bar at x=${bar.x}`);
  assert.ok(histogramDataUri(counts).startsWith('data:image/png;base64,iVBORw0KGgo'), 'PNG signature');
});
