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
  fillHoles,
  findPaper,
  histogramMedian,
  hysteresis,
  inkThresholds,
  isLightBackground,
  longLines,
  marksInRow,
  otsuThreshold,
  rotate,
  skewAngle,
  slantedLines,
  subtract,
} from '../../../src/shared/photo';
import { type GrayImage, type RgbaImage, readDigit } from '../../../src/shared/preprocess';
import {
  NOT_A_DIGIT_DISTANCE,
  likenessReference,
  looksLikeNoDigit,
  nearestDistance,
  reduceForLikeness,
} from '../../../src/shared/digitLikeness';
import { loadMnist } from '../../../src/trainer/mnistLoader';
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
  // A shape no training digit of its class has: the reason names the digit and what it counted.
  const shape = { kind: 'notADigitShape', digit: 8, holes: 0, endpoints: 4, junctions: 1 } as const;
  assert.deepEqual(unsureReason(p, shape), shape);
  assert.equal(
    unsureText(shape),
    'it does not have the shape of a digit: no 8 the model was trained on has 0 hole(s), 4 stroke end(s) and 1 fork(s)',
  );
  assert.match(unsureText({ kind: 'smallInk', span: 12 }), /span only 12 of the 20 pixels/);
});

function rgba(width: number, height: number, at: (x: number, y: number) => [number, number, number]): RgbaImage {
  const out = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set([...at(x, y), 1], 4 * (y * width + x));
  return { width, height, rgba: out };
}

test('findPaper: a card on a dark table is found (its ink a filled hole); a page under a lamp, a soft or a hard shadow is the whole picture', () => {
  const card = (x: number, y: number): boolean => x >= 100 && x < 380 && y >= 60 && y < 300;
  const onTable = rgba(480, 360, (x, y) => {
    if (!card(x, y)) return [0.3, 0.31, 0.29];
    const ink = x >= 200 && x < 214 && y >= 100 && y < 250; // a thick stroke on the card
    return ink ? [0.1, 0.1, 0.1] : [0.93, 0.92, 0.87];
  });
  const sheet = findPaper(onTable);
  assert.ok(sheet !== null);
  let wrong = 0;
  for (let y = 0; y < 360; y++)
    for (let x = 0; x < 480; x++) if (sheet.bits[y * 480 + x] !== Number(card(x, y))) wrong++;
  assert.ok(wrong < 0.03 * 480 * 360, `${wrong} pixels on the wrong side of the card's outline`);
  for (let y = 100; y < 250; y++) assert.equal(sheet.bits[y * 480 + 207], 1, 'the stroke lies on the card');

  // Lamp from the left and a soft shadow over a third: one surface, no sheet to cut out.
  const shaded = rgba(480, 360, (x, y) => {
    const light = (1 - 0.45 * (x / 480)) * (1 - 0.45 / (1 + Math.exp((x + 0.3 * y - 300) / 12)));
    return [0.93 * light, 0.92 * light, 0.87 * light];
  });
  assert.equal(findPaper(shaded), null);
  // A hard-edged shadow (direct sun, light × 0.55) is no edge of the paper either: the page stays whole.
  const sunlit = rgba(480, 360, (x, y) => {
    const light = x + 0.3 * y > 260 ? 0.55 : 1;
    return [0.93 * light, 0.92 * light, 0.87 * light];
  });
  assert.equal(findPaper(sunlit), null);
});

test('fillHoles: enclosed 0s become 1s, 0s that reach the border stay', () => {
  const ring = maskOf(image(9, 9, (x, y) => Number(Math.max(Math.abs(x - 4), Math.abs(y - 4)) === 2)));
  const filled = fillHoles(ring);
  assert.equal(count(filled), 25);
  assert.equal(filled.bits[0], 0);
});

test('slantedLines: a thin fold across the page goes, a thick stroke crossing it and a short thin stroke stay', () => {
  const width = 400;
  const height = 300;
  const fold = (x: number, y: number): boolean => Math.abs(0.6 * x - y + 40) < 1.2; // slope ≈ 31°, border to border
  const stroke = (x: number, y: number): boolean => x >= 150 && x < 166 && y >= 60 && y < 240;
  const short = (x: number, y: number): boolean => Math.abs(x - 300 + (y - 20)) < 1 && y >= 20 && y < 80;
  const mask = maskOf(image(width, height, (x, y) => Number(fold(x, y) || stroke(x, y) || short(x, y))));
  const lines = slantedLines(mask, Math.ceil(0.45 * width), 5, 12);
  let foldFound = 0;
  let foldPixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = lines.bits[y * width + x];
      if (stroke(x, y)) assert.equal(bit, 0, `stroke pixel ${x},${y} removed`);
      else if (short(x, y)) assert.equal(bit, 0, `short line pixel ${x},${y} removed`);
      else if (fold(x, y)) {
        foldPixels++;
        foldFound += bit;
      }
    }
  }
  assert.ok(foldFound >= 0.9 * foldPixels, `${foldFound} of ${foldPixels} fold pixels found`);
  // The same fold on a small picture (a 28×28 digit's scale) is never searched.
  assert.equal(count(slantedLines(maskOf(image(28, 28, (x, y) => Number(Math.abs(x - y) < 1))), 10, 3, 2)), 0);
});

test('marksInRow: two tall marks side by side are a number; a digit broken into a stroke and its bar is one', () => {
  const mark = (x0: number, x1: number, y0: number, y1: number): Component => ({
    label: 1,
    area: (x1 - x0) * (y1 - y0),
    box: { x0, y0, x1, y1 },
  });
  // "12": a narrow 1 and a 2, apart.
  assert.equal(marksInRow([mark(0, 20, 0, 100), mark(40, 100, 0, 100)], { x0: 0, y0: 0, x1: 100, y1: 100 }), 2);
  // A 4 whose right bar is detached: the group is narrower than tall.
  assert.equal(marksInRow([mark(0, 45, 0, 70), mark(50, 65, 0, 100)], { x0: 0, y0: 0, x1: 65, y1: 100 }), 1);
  // A 5's detached top bar lies over the body, not beside it.
  assert.equal(marksInRow([mark(0, 80, 40, 100), mark(10, 90, 0, 10)], { x0: 0, y0: 0, x1: 90, y1: 100 }), 1);
  // A year written touching: one mark three times wider than tall.
  assert.equal(marksInRow([mark(0, 300, 0, 100)], { x0: 0, y0: 0, x1: 300, y1: 100 }), 3);
});

test('digit likeness: a training digit is at distance 0 from itself, a test digit near one, an X far from all', () => {
  const mnist = loadMnist();
  const reference = likenessReference(mnist.train.images.subarray(0, 5000 * 784));
  const first = reduceForLikeness(mnist.train.images.subarray(0, 784), 255);
  assert.ok(nearestDistance(first, reference) < 0.02, "itself, up to the reference's rounding to bytes");
  assert.ok(nearestDistance(first, reference, 0, 0) > 0.1, 'skipping itself, the nearest is another digit');
  const testDigit = Float32Array.from(mnist.test.images.subarray(0, 784), (v) => v / 255);
  assert.equal(looksLikeNoDigit(testDigit, reference), false);
  // A big X filling the 20×20 box, 3 pixels thick.
  const x = new Float32Array(784);
  for (let y = 4; y < 24; y++)
    for (let k = -1; k <= 1; k++) {
      x[y * 28 + Math.min(23, Math.max(4, y + k))] = 1;
      x[y * 28 + Math.min(23, Math.max(4, 27 - y + k))] = 1;
    }
  assert.ok(nearestDistance(reduceForLikeness(x), reference) > NOT_A_DIGIT_DISTANCE);
  assert.equal(looksLikeNoDigit(x, reference), true);
});
