import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mix, parseColor, toCss } from '../../../src/webview/common/color';
import { type DivergingScale, absMax, colorAt, paint } from '../../../src/webview/common/scales';

test('theme colours parse in the forms VS Code writes them', () => {
  assert.deepEqual(parseColor('#1f1f1f'), [31, 31, 31, 1]);
  assert.deepEqual(parseColor(' #fff '), [255, 255, 255, 1]);
  assert.deepEqual(parseColor('#ff000080'), [255, 0, 0, 128 / 255]);
  assert.deepEqual(parseColor('rgba(1, 2, 3, 0.5)'), [1, 2, 3, 0.5]);
  assert.deepEqual(parseColor('rgb(10 20 30)'), [10, 20, 30, 1]);
  assert.equal(parseColor(''), null);
  assert.equal(parseColor('#12345'), null);
});

test('mix clamps and interpolates', () => {
  assert.deepEqual(mix([0, 0, 0, 1], [200, 100, 50, 1], 0.5), [100, 50, 25, 1]);
  assert.deepEqual(mix([0, 0, 0, 1], [200, 100, 50, 1], 3), [200, 100, 50, 1]);
  assert.equal(toCss([10.4, 20.6, 30, 1]), 'rgba(10, 21, 30, 1)');
});

test('a diverging scale: −limit is the negative colour, 0 the background, +limit the positive one', () => {
  const s: DivergingScale = {
    kind: 'diverging',
    limit: 2,
    negative: [0, 0, 255, 1],
    zero: [30, 30, 30, 1],
    positive: [255, 0, 0, 1],
  };
  assert.deepEqual(colorAt(s, -2), [0, 0, 255, 1]);
  assert.deepEqual(colorAt(s, 0), [30, 30, 30, 1]);
  assert.deepEqual(colorAt(s, 5), [255, 0, 0, 1], 'beyond the limit saturates');
  assert.deepEqual(colorAt(s, 1), [142.5, 15, 15, 1]);
});

test('paint writes ImageData bytes, 4 per value', () => {
  const bytes = paint([0, 255], { kind: 'sequential', min: 0, max: 255, low: [0, 0, 0, 1], high: [255, 255, 255, 1] });
  assert.deepEqual([...bytes], [0, 0, 0, 255, 255, 255, 255, 255]);
  assert.equal(absMax([0.5, -3, 2, Number.NaN]), 3);
});
