// The step card's pure parts: the batch mosaic puts digit d at its row and column, and the norm
// from a tensor's stats is its L2 norm, and where the step lies is written with the panels' counts.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { summarizeTensor } from '../../../src/shared/stats';
import { MOSAIC_COLUMNS, digitMosaic, l2Norm, stepWhereWords } from '../../../src/webview/dashboard/stepCard';
import { installDom } from './dom';

before(() => installDom());

test('step card: the mosaic lays 128 digits out 16 to a row, each pixel where it belongs', () => {
  const count = 128;
  const images = new Uint8Array(count * 784);
  // Digit d has value d at its pixel (y, x) = (d % 28, (d * 3) % 28), 0 elsewhere.
  for (let d = 0; d < count; d++) images[d * 784 + (d % 28) * 28 + ((d * 3) % 28)] = d + 1;
  const { width, height, pixels } = digitMosaic(images, count, MOSAIC_COLUMNS);
  assert.equal(width, 16 * 28);
  assert.equal(height, 8 * 28);
  let lit = 0;
  for (const v of pixels) if (v !== 0) lit++;
  assert.equal(lit, count);
  for (const d of [0, 15, 16, 77, 127]) {
    const top = Math.floor(d / 16) * 28;
    const left = (d % 16) * 28;
    assert.equal(pixels[(top + (d % 28)) * width + left + ((d * 3) % 28)], d + 1, `digit ${d}`);
  }
});

test('step card: a last row that is not full stays blank; the norm from stats is the L2 norm', () => {
  const { height, pixels } = digitMosaic(new Uint8Array(20 * 784).fill(9), 20, 16);
  assert.equal(height, 56);
  assert.equal(pixels[28 * 448], 9, 'digit 16 at row 1, column 0');
  assert.equal(pixels[28 * 448 + 3 * 28 + 27], 9, 'digit 19 at row 1, column 3');
  assert.equal(pixels[28 * 448 + 4 * 28], 0, 'no digit 20 at row 1, column 4');
  const values = new Float32Array([3, -4, 0, 12]);
  assert.ok(Math.abs(l2Norm(summarizeTensor('t', [4], 'float32', values).stats) - 13) < 1e-9);
});

test('step card: the step of the run reads with thousands separators, as the rest of the panels write counts', () => {
  assert.equal(stepWhereWords({ epoch: 5, batch: 468, step: 2345 }), 'epoch 5, batch 469 (step 2,345 of the run)');
});
