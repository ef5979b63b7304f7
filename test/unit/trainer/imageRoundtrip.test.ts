// A real MNIST digit saved "the ways people save digits" and preprocessed should come back as the
// digit MNIST has. MNIST's own centring rounds to whole pixels, so the comparison allows a shift of
// at most one pixel. Bounds measured on test digits 1000–1299 (shift-tolerant correlation):
// minimum ≥ 0.997 for every PNG variant, 0.89 for JPEG q75 (thin strokes blur), 0.99 for the
// sideways phone JPEG (q90, EXIF orientation 6), median ≥ 0.9997.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { centerOfMass } from '../../../src/shared/preprocess';
import { loadDigitInput } from '../../../src/trainer/image';
import { DIGIT_VARIANTS, mnistInk, writeDigitVariants } from '../../support/digitImages';
import { tempDir } from '../../support/tempDir';

const SIDE = 28;

function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function shifted(image: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) out[y * SIDE + x] = image[sy * SIDE + sx];
    }
  }
  return out;
}

/** The best correlation over shifts of at most one pixel in x and y. */
function shiftTolerantCorrelation(a: Float32Array, b: Float32Array): number {
  let best = -1;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) best = Math.max(best, correlation(shifted(a, dx, dy), b));
  return best;
}

test('round trip: real MNIST digits in every variant come back close to the original 28×28', () => {
  const dir = tempDir('roundtrip');
  const indices = Array.from({ length: 30 }, (_, i) => i * 331); // spread over the test set
  const files = writeDigitVariants(dir, indices);
  assert.equal(files.length, indices.length * DIGIT_VARIANTS.length);
  const byVariant = new Map<string, number[]>();
  for (const [k, f] of files.entries()) {
    const original = mnistInk(indices[Math.floor(k / DIGIT_VARIANTS.length)]);
    const { input } = loadDigitInput(f.file);
    assert.ok(
      input.every((v) => v >= 0 && v <= 1),
      `${f.file}: values outside [0,1]`,
    );
    const com = centerOfMass({ width: SIDE, height: SIDE, pixels: input });
    assert.ok(
      Math.abs(com.x - 14) <= 0.5 && Math.abs(com.y - 14) <= 0.5,
      `${f.file}: centre of mass ${JSON.stringify(com)}`,
    );
    byVariant.set(f.variant, [...(byVariant.get(f.variant) ?? []), shiftTolerantCorrelation(input, original)]);
  }
  for (const [variant, scores] of byVariant) {
    scores.sort((a, b) => a - b);
    const minimum = variant.startsWith('jpeg') ? 0.85 : 0.99;
    assert.ok(scores[0] >= minimum, `${variant}: worst correlation ${scores[0].toFixed(3)} < ${minimum}`);
    assert.ok(
      scores[Math.floor(scores.length / 2)] >= 0.995,
      `${variant}: median correlation ${scores[Math.floor(scores.length / 2)].toFixed(4)}`,
    );
  }
});

test('round trip: a digit drawn small in a corner of a big canvas is found, scaled and centred', () => {
  const dir = tempDir('roundtrip');
  const [plain, offcentre] = writeDigitVariants(dir, [42], ['png', 'offcentre']);
  const a = loadDigitInput(plain.file).input;
  const b = loadDigitInput(offcentre.file).input;
  assert.ok(shiftTolerantCorrelation(a, b) > 0.99);
});
