// The inspector's slices of tensors of any rank: which matrix is drawn, which values it holds, and
// which element of the whole tensor each drawn cell is. Every value of the test tensors says where
// it is (its row-major offset), so a wrong slice or index shows as a wrong number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  matrixDims,
  sliceAxis,
  sliceCount,
  sliceLabel,
  sliceValues,
  tensorIndex,
} from '../../../src/shared/tensorSlice';

/** A tensor whose every element is its own row-major offset. */
const offsets = (shape: number[]): Float32Array =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);

/** Row-major offset of a full index. */
const offsetOf = (shape: number[], index: number[]): number =>
  index.reduce((acc, at, axis) => acc * shape[axis] + at, 0);

test('layout by rank: a scalar and a vector are one row, rank 3 one slice, a conv kernel positions × filters', () => {
  assert.deepEqual(matrixDims([]), [1, 1]);
  assert.deepEqual(matrixDims([10]), [1, 10]);
  assert.deepEqual(matrixDims([784, 512]), [784, 512]);
  assert.deepEqual(matrixDims([60000, 28, 28]), [28, 28]);
  assert.deepEqual(matrixDims([3, 3, 32, 64]), [9, 64]);
  assert.deepEqual(matrixDims([2, 3, 4, 5, 6]), [120, 6]);
  assert.deepEqual([[], [10], [4, 5], [7, 2, 3], [3, 3, 32, 64], [2, 2, 2, 2, 2]].map(sliceAxis), [
    null,
    null,
    null,
    0,
    2,
    null,
  ]);
  assert.equal(sliceCount([3, 3, 32, 64]), 32);
  assert.equal(sliceCount([7, 2, 3]), 7);
  assert.equal(sliceCount([4, 5]), 0);
});

test('every drawn cell of every slice holds the element its full index names (ranks 0 to 5)', () => {
  for (const shape of [[], [6], [4, 5], [3, 4, 5], [3, 2, 4, 5], [2, 3, 2, 2, 3]]) {
    const values = offsets(shape);
    const [rows, cols] = matrixDims(shape);
    const slices = Math.max(1, sliceCount(shape));
    const seen = new Set<number>();
    for (let s = 0; s < slices; s++) {
      const index = sliceCount(shape) === 0 ? null : s;
      const drawn = sliceValues(values, shape, index);
      assert.equal(drawn.length, rows * cols, `${JSON.stringify(shape)}: a full matrix`);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const full = tensorIndex(shape, index, r, c);
          assert.equal(full.length, shape.length);
          full.forEach((at, axis) => assert.ok(at >= 0 && at < shape[axis], `${JSON.stringify(full)} inside ${shape}`));
          assert.equal(drawn[r * cols + c], offsetOf(shape, full), `${JSON.stringify(shape)} slice ${s} [${r}, ${c}]`);
          seen.add(drawn[r * cols + c]);
        }
    }
    assert.equal(seen.size, values.length, `${JSON.stringify(shape)}: the slices cover every element once`);
  }
});

test('a conv kernel [kh, kw, in, out] sliced at an input channel: column o is filter o as a kh×kw image', () => {
  const shape = [3, 2, 4, 5];
  const drawn = sliceValues(offsets(shape), shape, 2);
  // Filter 4, kernel position (y 1, x 1) = row 1·2 + 1 = 3, is kernel[1, 1, 2, 4].
  assert.equal(drawn[3 * 5 + 4], offsetOf(shape, [1, 1, 2, 4]));
  assert.deepEqual(tensorIndex(shape, 2, 3, 4), [1, 1, 2, 4]);
  assert.equal(sliceLabel(shape, 2), '[:, :, 2]');
  assert.equal(sliceLabel([60000, 28, 28], 4), '[4]');
});

test('a slice out of range, or a slice of a tensor drawn whole, is refused with one line', () => {
  assert.throws(() => sliceValues(offsets([3, 3, 2, 4]), [3, 3, 2, 4], 2), /slice 2 is out of range 0–1/);
  assert.throws(() => sliceValues(offsets([3, 4, 5]), [3, 4, 5], -1), /out of range 0–2/);
  assert.throws(() => sliceValues(offsets([4, 5]), [4, 5], 0), /a rank-2 tensor has no slices/);
  assert.deepEqual(
    sliceValues(offsets([3, 4, 5]), [3, 4, 5], null),
    offsets([3, 4, 5]).slice(0, 20),
    'null: the first slice',
  );
});
