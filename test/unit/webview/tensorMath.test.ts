import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mnistSample } from '../../../src/shared/mnist';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { cellAt } from '../../../src/webview/common/canvas';
import {
  cellSize,
  kernelColumn,
  moveCursor,
  kthSmallest,
  robustAbsMax,
  tensorTitle,
  unitImageSize,
  valueAt,
} from '../../../src/webview/tensor/tensorMath';
import { matrixDims, sliceValues } from '../../../src/shared/tensorSlice';

/** A [784, 512] kernel whose every value says where it is: w[r, c] = r − c / 1000. */
function labelledKernel(): Float32Array {
  const values = new Float32Array(784 * 512);
  for (let r = 0; r < 784; r++) for (let c = 0; c < 512; c++) values[r * 512 + c] = r - c / 1000;
  return values;
}

test('column j of a [784, 512] kernel is hidden unit j’s 784 weights, pixel (y, x) at y·28 + x', () => {
  const column = kernelColumn(labelledKernel(), 784, 512, 3);
  assert.equal(column.length, 784);
  assert.equal(column[0], Math.fround(-0.003));
  assert.equal(column[5 * 28 + 7], Math.fround(147 - 0.003), 'image row 5, column 7 is kernel row 147');
  assert.equal(kernelColumn(labelledKernel(), 784, 512, 511)[783], Math.fround(783 - 0.511));
});

test('kernels with 784 rows show their columns as 28×28 unit images, conv kernels [kh, kw, in, out] as kh×kw filters', () => {
  assert.deepEqual(unitImageSize([784, 512]), [28, 28]);
  assert.equal(unitImageSize([512, 10]), null);
  assert.equal(unitImageSize([60000, 28, 28]), null);
  assert.deepEqual(unitImageSize([3, 3, 1, 32]), [3, 3]);
  assert.deepEqual(unitImageSize([5, 1, 16, 8]), [5, 1]);
  assert.equal(unitImageSize([32]), null);
});

test('a conv kernel slice: drawn column o, read as a kh×kw image, is filter o (pixel (y, x) at y·kw + x)', () => {
  // kernel [2, 3, 2, 4] with kernel[y, x, c, o] = 1000y + 100x + 10c + o, input channel 1 drawn.
  const shape = [2, 3, 2, 4];
  const whole = Float32Array.from({ length: 48 }, (_, i) => {
    const [y, x, c, o] = [Math.floor(i / 24), Math.floor(i / 8) % 3, Math.floor(i / 4) % 2, i % 4];
    return 1000 * y + 100 * x + 10 * c + o;
  });
  const [rows, cols] = matrixDims(shape);
  const drawn = sliceValues(whole, shape, 1);
  const filter3 = kernelColumn(drawn, rows, cols, 3);
  assert.deepEqual(Array.from(filter3), [13, 113, 213, 1013, 1113, 1213]);
});

test('2-D layout: matrix as is, vector as one row, rank 3 as one slice', () => {
  assert.deepEqual(matrixDims([784, 512]), [784, 512]);
  assert.deepEqual(matrixDims([512]), [1, 512]);
  assert.deepEqual(matrixDims([60000, 28, 28]), [28, 28]);
});

test('the value under the pointer on a scaled heatmap of a real digit (train_images[4])', () => {
  const digit = mnistSample(loadMnist().train, 4);
  // 28×28 drawn at 16 px a cell: the point (7·16 + 3, 12·16 + 15) is cell [12, 7].
  const cell = cellAt(7 * 16 + 3, 12 * 16 + 15, 448, 448, 28, 28);
  assert.deepEqual(cell, [12, 7]);
  assert.equal(valueAt(digit, 28, 12, 7), digit[12 * 28 + 7]);
  assert.equal(cellAt(448, 10, 448, 448, 28, 28), null, 'the right edge is outside');
  assert.equal(cellAt(-1, 10, 448, 448, 28, 28), null);
});

test('arrow keys move the cursor and stop at the edges', () => {
  assert.deepEqual(moveCursor([0, 0], 'ArrowRight', 28, 28), [0, 1]);
  assert.deepEqual(moveCursor([0, 0], 'ArrowUp', 28, 28), [0, 0]);
  assert.deepEqual(moveCursor([27, 5], 'ArrowDown', 28, 28), [27, 5]);
  assert.deepEqual(moveCursor([3, 5], 'End', 28, 28), [3, 27]);
  assert.equal(moveCursor([3, 5], 'a', 28, 28), null);
});

test('cell sizes: square up to 16 px when they fit, per-axis when one axis is long', () => {
  assert.deepEqual(cellSize(28, 28, 800, 800), [16, 16]);
  assert.deepEqual(cellSize(784, 512, 800, 800), [1, 1]);
  assert.deepEqual(cellSize(784, 10, 800, 800), [16, 1]);
});

test('the diverging limit is the 99th percentile of |v|: rarer outliers do not set it', () => {
  const withOutliers = (count: number): Float32Array =>
    Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1) * (i < 1000 - count ? 0.1 : 50));
  assert.equal(robustAbsMax(withOutliers(5)), Math.fround(0.1));
  assert.equal(robustAbsMax(withOutliers(20)), Math.fround(50));
  assert.equal(robustAbsMax(new Float32Array([NaN, Infinity, -3])), 3, 'non-finite values are left out');
  assert.equal(robustAbsMax(new Float32Array([NaN])), 0);
});

test('kthSmallest agrees with a sort for every k, duplicates and negatives included', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (const length of [1, 2, 3, 10, 257]) {
    const values = Float32Array.from({ length }, (_, i) => (i % 5 === 0 ? 0.5 : Math.round(random() * 20) / 4 + 0));
    const sorted = values.slice().sort();
    for (let k = 0; k < length; k++)
      assert.equal(kthSmallest(values.slice(), k), sorted[k], `length ${length}, k ${k}`);
  }
});

test('the title names tensor, dtype and shape', () => {
  assert.equal(
    tensorTitle({ ref: { source: 'tensorLens', name: 'dense/kernel' }, dtype: 'float32', shape: [784, 512] }),
    'dense/kernel float32 [784, 512]',
  );
});
