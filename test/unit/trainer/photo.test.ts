// The photo steps one at a time, on hand-made pictures and on photos built from real MNIST digits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Component,
  type Mask,
  chooseDigit,
  connectedComponents,
  divideBackground,
  estimateBackground,
  histogramMedian,
  hysteresis,
  inkThresholds,
  isLightBackground,
  longLines,
  otsuThreshold,
  rotate,
  skewAngle,
  subtract,
} from '../../../src/shared/photo';
import { type GrayImage, readDigit } from '../../../src/shared/preprocess';
import { topThree, unsureReason, unsureText } from '../../../src/shared/verdict';
import { renderPhoto } from '../../support/photoImages';
import { seededRandom } from '../../../src/shared/random';
import { mnistInk } from '../../support/digitImages';

function image(width: number, height: number, at: (x: number, y: number) => number): GrayImage {
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = at(x, y);
  return { width, height, pixels };
}

const maskOf = (g: GrayImage, threshold = 0.5): Mask => ({
  width: g.width,
  height: g.height,
  bits: Uint8Array.from(g.pixels, (v) => Number(v >= threshold)),
});
const count = (m: Mask): number => m.bits.reduce((a, b) => a + b, 0);
/** A dark 6-pixel-wide bar at x 90–95, y 40–119 on paper lit from the left (0.95 → 0.45). */
const litBar = image(
  200,
  160,
  (x, y) => (0.95 - 0.5 * (x / 200)) * (x >= 90 && x < 96 && y >= 40 && y < 120 ? 0.15 : 1),
);

test('isLightBackground: dim lamp-lit paper with dark ink is light; white ink on black is not', () => {
  assert.equal(isLightBackground(litBar), true);
  const dim = image(100, 100, (x, y) => (x > 40 && x < 46 && y > 20 && y < 80 ? 0.1 : 0.56)); // paper at 0.56
  assert.equal(isLightBackground(dim), true);
  assert.equal(
    isLightBackground(image(100, 100, (x, y) => (x > 40 && x < 46 && y > 20 && y < 80 ? 0.9 : 0.05))),
    false,
  );
});

test('estimateBackground + divideBackground: a lighting gradient vanishes, the ink stays', () => {
  const ink = divideBackground(litBar, estimateBackground(litBar));
  let paperMax = 0;
  let barMin = 1;
  for (let y = 0; y < 160; y++) {
    for (let x = 0; x < 200; x++) {
      const v = ink.pixels[y * 200 + x];
      const onBar = x >= 90 && x < 96 && y >= 40 && y < 120;
      const nearBar = x >= 86 && x < 100 && y >= 36 && y < 124;
      if (onBar) barMin = Math.min(barMin, v);
      else if (!nearBar) paperMax = Math.max(paperMax, v);
    }
  }
  assert.ok(paperMax < 0.05, `paper reads as ink up to ${paperMax}`);
  assert.ok(barMin > 0.75, `the bar reads as ink of only ${barMin}`);
});

test('otsuThreshold and histogramMedian: the cut between two clusters; a median without sorting', () => {
  const values = Float32Array.from({ length: 1000 }, (_, i) => (i < 800 ? 0.1 : 0.7));
  const cut = otsuThreshold(values);
  assert.ok(cut > 0.1 && cut <= 0.7, `cut ${cut}`);
  assert.ok(Math.abs(histogramMedian(values, -1, 1) - 0.1) < 0.002);
});

test('inkThresholds + hysteresis: faint pencil survives, paper grain does not', () => {
  const random = seededRandom(7);
  const noise = (): number => (random() + random() + random() - 1.5) * 0.06; // σ ≈ 0.03
  // Pencil: ink 0.3 in a 5-pixel-wide ring; grain everywhere.
  const ink = image(120, 120, (x, y) => {
    const r = Math.hypot(x - 60, y - 60);
    return (r > 30 && r < 35 ? 0.3 : 0) + noise();
  });
  const mask = hysteresis(ink, inkThresholds(ink));
  const { components } = connectedComponents(mask);
  const largest = components.reduce((a, b) => (b.area > a.area ? b : a));
  assert.ok(largest.area > 0.9 * (Math.PI * (35 ** 2 - 30 ** 2)), `ring area ${largest.area}`);
  assert.ok(count(mask) - largest.area < 20, `${count(mask) - largest.area} grain pixels`);
});

test('longLines: ruled and margin lines go, a stroke crossing them stays whole', () => {
  // Rules every 20 rows (2 px), a margin at x = 10, a vertical 6-px stroke at x 60–65 from y 15 to 75.
  const page = image(160, 100, (x, y) =>
    Number(y % 20 < 2 || (x >= 10 && x < 12) || (x >= 60 && x < 66 && y >= 15 && y < 75)),
  );
  const mask = maskOf(page);
  const cleaned = subtract(mask, longLines(mask, 0.75, 3));
  const { components } = connectedComponents(cleaned);
  // Where the margin crosses a rule, a 2×2 dot is thick both ways and stays: a speck chooseDigit ignores.
  const stroke = components.filter((c) => c.area > 4);
  assert.equal(stroke.length, 1, JSON.stringify(components));
  assert.deepEqual(stroke[0].box, { x0: 60, y0: 15, x1: 66, y1: 75 });
  assert.equal(stroke[0].area, 6 * 60);
  assert.ok(components.every((c) => c === stroke[0] || (c.area === 4 && c.box.x0 === 10)));
  assert.deepEqual(chooseDigit(components)?.box, stroke[0].box);
});

test('chooseDigit: the largest mark and the strokes near it; dust and far marks are left out or counted', () => {
  const c = (label: number, area: number, x0: number, y0: number, x1: number, y1: number): Component => ({
    label,
    area,
    box: { x0, y0, x1, y1 },
  });
  const body = c(1, 400, 100, 100, 140, 160);
  const bar = c(2, 60, 104, 86, 150, 94); // a 5's detached top bar, 6 px above
  const dust = c(3, 4, 300, 20, 302, 22);
  const group = chooseDigit([body, bar, dust]);
  assert.deepEqual(group?.labels.sort(), [1, 2]);
  assert.deepEqual(group?.box, { x0: 100, y0: 86, x1: 150, y1: 160 });
  assert.equal(group?.rivals, 0);
  const another = c(4, 350, 300, 100, 340, 160); // a second digit far to the right
  assert.equal(chooseDigit([body, bar, dust, another])?.rivals, 1);
  assert.equal(chooseDigit([]), null);
});

test('skewAngle + rotate: a bar tilted by 10° is measured and turned upright', () => {
  const bar = image(60, 60, (x, y) => Number(x >= 28 && x < 32 && y >= 10 && y < 50));
  const tilted = rotate(bar, 10);
  assert.ok(Math.abs(skewAngle(tilted) - 10) < 1, `${skewAngle(tilted)}`);
  assert.ok(Math.abs(skewAngle(rotate(tilted, -skewAngle(tilted)))) < 1);
  assert.equal(skewAngle(rotate(bar, 40)), 15, 'limited to ±15°');
});

test('readDigit: a ruled-paper photo of a real MNIST digit is read as a photo and comes out like the digit', () => {
  const index = 3; // a "0"
  const { width, height, rgba } = renderPhoto(index, 'ruled', 11);
  const reading = readDigit({ width, height, rgba: Float32Array.from(rgba, (v) => v / 255) });
  assert.equal(reading.kind, 'photo');
  assert.equal(reading.doubt, null);
  const original = mnistInk(index);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  reading.input.forEach((v, i) => {
    dot += v * original[i];
    aa += v * v;
    bb += original[i] * original[i];
  });
  assert.ok(dot / Math.sqrt(aa * bb) > 0.7, `cosine similarity ${dot / Math.sqrt(aa * bb)}`);
});

test('topThree and unsureReason: ranked answers; a low top probability or a doubtful picture is unsure', () => {
  const p = [0.05, 0.7, 0.1, 0.15, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(
    topThree(p).map((r) => r.digit),
    [1, 3, 2],
  );
  assert.equal(unsureReason(p, null), null);
  const low = unsureReason([0.4, 0.35, 0.25, 0, 0, 0, 0, 0, 0, 0], null);
  assert.deepEqual(low, { kind: 'lowProbability', percent: 40 });
  assert.match(low ? unsureText(low) : '', /only 40 %/);
  assert.deepEqual(unsureReason(p, { kind: 'severalDigits' }), { kind: 'severalDigits' });
});
