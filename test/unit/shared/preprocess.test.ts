import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type GrayImage,
  type RgbaImage,
  applyExifOrientation,
  areaWeights,
  borderBackground,
  centerOfMass,
  compositeToGray,
  crop,
  dilate,
  fitInside,
  inkBoundingBox,
  normalizeInk,
  placeByCenterOfMass,
  resizeArea,
  stretchToFull,
  strokeWidth,
  thickenThinStrokes,
  toMnistInput,
} from '../../../src/shared/preprocess';

const gray = (width: number, height: number, values: number[]): GrayImage => ({
  width,
  height,
  pixels: Float32Array.from(values),
});
const rgbaOf = (width: number, height: number, pixels: [number, number, number, number][]): RgbaImage => ({
  width,
  height,
  rgba: Float32Array.from(pixels.flat()),
});
const rounded = (values: ArrayLike<number>, digits = 6): number[] =>
  Array.from(values, (v) => Number(v.toFixed(digits)));

test('applyExifOrientation: all eight EXIF orientations of a 3×2 picture, by hand', () => {
  // Stored pixels a b c / d e f, each encoded in its red channel.
  const [a, b, c, d, e, f] = [1, 2, 3, 4, 5, 6].map((v) => v / 10);
  const stored: RgbaImage = rgbaOf(
    3,
    2,
    [a, b, c, d, e, f].map((v) => [v, 0, 0, 1] as [number, number, number, number]),
  );
  const view = (o: number): [number, number, number[]] => {
    const img = applyExifOrientation(stored, o);
    return [
      img.width,
      img.height,
      rounded(
        Array.from({ length: img.width * img.height }, (_, i) => img.rgba[4 * i]),
        3,
      ),
    ];
  };
  assert.deepEqual(view(1), [3, 2, [a, b, c, d, e, f]]);
  assert.deepEqual(view(2), [3, 2, [c, b, a, f, e, d]]); // mirrored left-right
  assert.deepEqual(view(3), [3, 2, [f, e, d, c, b, a]]); // turned 180°
  assert.deepEqual(view(4), [3, 2, [d, e, f, a, b, c]]); // mirrored top-bottom
  assert.deepEqual(view(5), [2, 3, [a, d, b, e, c, f]]); // transposed
  assert.deepEqual(view(6), [2, 3, [d, a, e, b, f, c]]); // turned 90° clockwise
  assert.deepEqual(view(7), [2, 3, [f, c, e, b, d, a]]); // transversed
  assert.deepEqual(view(8), [2, 3, [c, f, b, e, a, d]]); // turned 90° counter-clockwise
  assert.equal(applyExifOrientation(stored, 0), stored);
  assert.equal(applyExifOrientation(stored, 9), stored);
});

test('compositeToGray: Rec. 601 luma for opaque pixels', () => {
  const g = compositeToGray(
    rgbaOf(3, 1, [
      [1, 0, 0, 1],
      [0, 1, 0, 1],
      [1, 1, 1, 1],
    ]),
  );
  assert.deepEqual(rounded(g.pixels), [0.299, 0.587, 1]);
});

test('compositeToGray: black ink on a transparent canvas lands on white, white ink on black', () => {
  // Black strokes (alpha 1, half-alpha antialiasing) on transparent black: viewed on white.
  const black = compositeToGray(
    rgbaOf(3, 1, [
      [0, 0, 0, 1],
      [0, 0, 0, 0.5],
      [0, 0, 0, 0],
    ]),
  );
  assert.deepEqual(rounded(black.pixels), [0, 0.5, 1]);
  // White strokes on a transparent canvas: composited onto black so they stay visible.
  const white = compositeToGray(
    rgbaOf(3, 1, [
      [1, 1, 1, 1],
      [1, 1, 1, 0.5],
      [1, 1, 1, 0],
    ]),
  );
  assert.deepEqual(rounded(white.pixels), [1, 0.5, 0]);
  assert.throws(() => compositeToGray({ width: 2, height: 2, rgba: new Float32Array(12) }), /12 values, expected 16/);
});

test('borderBackground: the median of the border ignores ink touching one edge', () => {
  // 4×3, border mostly paper (0.9), two ink pixels on the edge, dark ink inside.
  const img = gray(4, 3, [0.9, 0.1, 0.9, 0.9, 0.1, 0.0, 0.0, 0.9, 0.9, 0.9, 0.9, 0.9]);
  assert.equal(Number(borderBackground(img).toFixed(6)), 0.9);
  assert.equal(borderBackground(gray(1, 1, [0.3])), Math.fround(0.3));
});

test('normalizeInk: light paper is inverted and stretched so paper → 0 and the darkest ink → 1', () => {
  const out = normalizeInk(gray(4, 1, [0.9, 0.3, 0.6, 0.95]), 0.9);
  assert.deepEqual(rounded(out.pixels), [0, 1, 0.5, 0]);
});

test('normalizeInk: dark background keeps white ink, grey ink is stretched to 1', () => {
  const out = normalizeInk(gray(3, 1, [0.1, 0.5, 0.3]), 0.1);
  assert.deepEqual(rounded(out.pixels), [0, 1, 0.5]);
});

test('normalizeInk: too little contrast is no ink at all (not amplified noise)', () => {
  const out = normalizeInk(gray(3, 1, [0.5, 0.53, 0.47]), 0.5);
  assert.deepEqual(Array.from(out.pixels), [0, 0, 0]);
});

test('inkBoundingBox: the box of pixels at or above the threshold; faint noise is left out', () => {
  // 5×4: ink at (1,1), (3,2); noise 0.05 at (4,3).
  const img = gray(5, 4, [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0, 0.05]);
  assert.deepEqual(inkBoundingBox(img, 0.1), { x0: 1, y0: 1, x1: 4, y1: 3 });
  assert.deepEqual(inkBoundingBox(img, 0.01), { x0: 1, y0: 1, x1: 5, y1: 4 });
  assert.equal(inkBoundingBox(img, 2), null);
  assert.deepEqual(Array.from(crop(img, { x0: 1, y0: 1, x1: 4, y1: 3 }).pixels), [1, 0, 0, 0, 0, 0.5]);
});

test('fitInside: the longer side becomes 20, the aspect ratio is kept, never below 1 pixel', () => {
  assert.deepEqual(fitInside(10, 5, 20), { width: 20, height: 10 });
  assert.deepEqual(fitInside(300, 400, 20), { width: 15, height: 20 });
  assert.deepEqual(fitInside(3, 30, 20), { width: 2, height: 20 });
  assert.deepEqual(fitInside(1, 100, 20), { width: 1, height: 20 });
});

test('resizeArea: each output pixel is the mean of the source area it covers', () => {
  const halved = resizeArea(gray(4, 2, [1, 3, 5, 7, 1, 3, 5, 7]), 2, 1);
  assert.deepEqual(Array.from(halved.pixels), [2, 6]);
  // 3 → 2: out[0] covers all of s0 and half of s1, out[1] the other half of s1 and all of s2.
  const fractional = resizeArea(gray(3, 1, [0, 3, 6]), 2, 1);
  assert.deepEqual(rounded(fractional.pixels), [1, 5]);
  assert.deepEqual(
    areaWeights(3, 2).map((taps) => taps.map(([s, w]) => [s, Number(w.toFixed(6))])),
    [
      [
        [0, 0.666667],
        [1, 0.333333],
      ],
      [
        [1, 0.333333],
        [2, 0.666667],
      ],
    ],
  );
  // A big checkerboard shrinks to its mean grey, not to aliased stripes.
  const board = gray(
    100,
    100,
    Array.from({ length: 10000 }, (_, i) => ((i % 100) + Math.floor(i / 100)) % 2),
  );
  assert.ok(resizeArea(board, 7, 7).pixels.every((v) => Math.abs(v - 0.5) < 0.03));
  // Upscaling repeats pixels.
  assert.deepEqual(Array.from(resizeArea(gray(2, 1, [0.25, 1]), 4, 2).pixels), [0.25, 0.25, 1, 1, 0.25, 0.25, 1, 1]);
});

test('stretchToFull: faded ink (a thin stroke shrunk from a big picture) is scaled back to a maximum of 1', () => {
  assert.deepEqual(Array.from(stretchToFull(gray(3, 1, [0, 0.125, 0.25])).pixels), [0, 0.5, 1]);
  assert.deepEqual(Array.from(stretchToFull(gray(2, 1, [0, 0])).pixels), [0, 0]);
});

test('centerOfMass: ink-weighted mean position in pixel-index coordinates', () => {
  assert.deepEqual(centerOfMass(gray(4, 2, [0, 0, 0, 0, 0, 0, 0, 1])), { x: 3, y: 1 });
  assert.deepEqual(centerOfMass(gray(3, 1, [1, 0, 3])), { x: 1.5, y: 0 });
  assert.deepEqual(centerOfMass(gray(3, 3, new Array(9).fill(0))), { x: 1, y: 1 });
});

test('placeByCenterOfMass: the digit is shifted so its centre of mass lands on (14, 14)', () => {
  const single = placeByCenterOfMass(gray(1, 1, [0.7]), 28);
  assert.equal(single.length, 784);
  assert.equal(single[14 * 28 + 14], Math.fround(0.7));
  assert.equal(single.filter((v) => v > 0).length, 1);
  // A 3×2 block with its weight on the right column: COM x = 2, y = 0.5 → shift (12, 14) (rounded).
  const placed = placeByCenterOfMass(gray(3, 2, [0, 0, 1, 0, 0, 1]), 28);
  assert.equal(placed[14 * 28 + 14], 1);
  assert.equal(placed[13 * 28 + 14] + placed[15 * 28 + 14], 1);
  const com = centerOfMass({ width: 28, height: 28, pixels: placed });
  assert.ok(Math.abs(com.x - 14) <= 0.5 && Math.abs(com.y - 14) <= 0.5, JSON.stringify(com));
});

test('toMnistInput: a dark bar on light, off-centre paper becomes a white 20-pixel-tall bar centred at (14, 14)', () => {
  // 120×80 beige canvas; a 6×40 dark blue bar at x 90–95, y 10–49.
  const pixels: [number, number, number, number][] = [];
  for (let y = 0; y < 80; y++) {
    for (let x = 0; x < 120; x++)
      pixels.push(x >= 90 && x < 96 && y >= 10 && y < 50 ? [0.1, 0.1, 0.4, 1] : [0.94, 0.9, 0.8, 1]);
  }
  const input = toMnistInput(rgbaOf(120, 80, pixels));
  assert.equal(input.length, 784);
  const box = inkBoundingBox({ width: 28, height: 28, pixels: input }, 0.5);
  assert.ok(box);
  assert.equal(box.y1 - box.y0, 20);
  assert.equal(box.x1 - box.x0, 3);
  assert.equal(Math.max(...input), 1);
  const com = centerOfMass({ width: 28, height: 28, pixels: input });
  assert.ok(Math.abs(com.x - 14) <= 0.5 && Math.abs(com.y - 14) <= 0.5, JSON.stringify(com));
});

test('strokeWidth: 2·area / perimeter of the ink ≥ 0.5', () => {
  // A 2×10 bar: area 20, perimeter 2·10 + 2·2 = 24 → 40/24.
  assert.equal(strokeWidth(gray(2, 10, new Array(20).fill(1))), 40 / 24);
  // A 1-pixel line 30 long inside a wider canvas, faint pixels ignored: 60 / 62.
  const line = new Array(3 * 30).fill(0.2).map((v, i) => (i % 3 === 1 ? 0.9 : v));
  assert.equal(strokeWidth(gray(3, 30, line)), 60 / 62);
  assert.equal(strokeWidth(gray(2, 2, [0, 0.4, 0, 0])), 0);
});

test('dilate: each pixel takes the maximum of its square neighbourhood; the canvas grows by the radius', () => {
  const out = dilate(gray(3, 1, [0, 0.5, 0]), 1);
  assert.equal(out.width, 5);
  assert.equal(out.height, 3);
  const row = [0, 0.5, 0.5, 0.5, 0];
  assert.deepEqual(Array.from(out.pixels), [...row, ...row, ...row]);
});

test('thickenThinStrokes: MNIST-thick strokes pass through; a hairline in a big crop is widened', () => {
  const thick = gray(
    4,
    20,
    Array.from({ length: 80 }, (_, i) => (i % 4 === 1 || i % 4 === 2 ? 1 : 0)),
  );
  assert.equal(thickenThinStrokes(thick), thick);
  // A 1-pixel vertical line 200 tall: at the 20-pixel scale it would be 0.1 pixel wide.
  const hairline = gray(1, 200, new Array(200).fill(1));
  const widened = thickenThinStrokes(hairline);
  const widthAt20 = (strokeWidth(widened) * 20) / Math.max(widened.width, widened.height);
  assert.ok(widthAt20 > 1.2 && widthAt20 < 2.4, `stroke width at the 20-pixel scale: ${widthAt20}`);
});

test('toMnistInput: a fine-pen stroke on a big canvas still gives an MNIST-thick stroke', () => {
  // A 2-pixel-wide black vertical bar (a "1") 300 tall on a 400×400 white canvas.
  const pixels: [number, number, number, number][] = [];
  for (let y = 0; y < 400; y++)
    for (let x = 0; x < 400; x++) pixels.push(x >= 150 && x < 152 && y >= 50 && y < 350 ? [0, 0, 0, 1] : [1, 1, 1, 1]);
  const input = toMnistInput(rgbaOf(400, 400, pixels));
  const width = strokeWidth({ width: 28, height: 28, pixels: input });
  assert.ok(width >= 1.5, `stroke width ${width}`); // MNIST median ≈1.9; without thickening ≈0.95
  const box = inkBoundingBox({ width: 28, height: 28, pixels: input }, 0.5);
  assert.ok(box && box.y1 - box.y0 >= 18, JSON.stringify(box));
});

test('toMnistInput: a blank picture gives an all-zero input', () => {
  const blank = rgbaOf(10, 10, new Array(100).fill([1, 1, 1, 1]));
  assert.ok(toMnistInput(blank).every((v) => v === 0));
});
