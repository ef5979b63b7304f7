// "Does this look like a digit at all?": how far a 28×28 input is from the nearest training digit,
// on both reduced to 14×14 (the shape, not the pixel-exact stroke). A letter, a symbol or a tangle
// that the model still reads with high probability is far from every digit it was trained on.
import { MNIST_PIXELS, MNIST_SIDE } from './mnist';

const SIDE = MNIST_SIDE / 2;
export const LIKENESS_PIXELS = SIDE * SIDE;

/**
 * Farther than this (Euclidean, pixels in [0,1] at 14×14) from every training digit is "does not
 * look like a digit". Set so that every reason together (this, the picture's and the shape's rules,
 * and a top probability below UNSURE_BELOW) calls at most 2 % of real digits unsure (issue 23):
 * measured by `node --import tsx scripts/calibrateDigitLikeness.ts --photos` with the default
 * 5-epoch model, 198 of the 10,000 MNIST test digits (1.98 %) in all.
 * At 2.64 (the 98.5th percentile of training digits' distance to their nearest other one) it was
 * 263 (2.63 %); raising it frees far digits the model mostly reads right (57 of the 65 freed),
 * where lowering UNSURE_BELOW to 0.5 instead frees guesses (38 of 71 right) and gives up more of
 * the letters and tangles that only the low probability catches.
 */
export const NOT_A_DIGIT_DISTANCE = 2.8;

/** 28×28 ink in [0,1] (or bytes with scale 255) reduced to 14×14 by 2×2 means, in [0,1]. */
export function reduceForLikeness(
  input: ArrayLike<number>,
  scale = 1,
  out = new Float32Array(LIKENESS_PIXELS),
): Float32Array {
  out.fill(0);
  for (let y = 0; y < MNIST_SIDE; y++)
    for (let x = 0; x < MNIST_SIDE; x++) out[(y >> 1) * SIDE + (x >> 1)] += input[y * MNIST_SIDE + x] / (4 * scale);
  return out;
}

/**
 * Every image of a split (uint8, 784 pixels each) reduced and stored as bytes again (a quarter of
 * the floats' memory: 12 MB for MNIST's 60,000 training digits).
 */
export function likenessReference(images: Uint8Array): Uint8Array {
  const count = Math.floor(images.length / MNIST_PIXELS);
  const out = new Uint8Array(count * LIKENESS_PIXELS);
  const reduced = new Float32Array(LIKENESS_PIXELS);
  for (let n = 0; n < count; n++) {
    reduceForLikeness(images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS), 1, reduced);
    for (let i = 0; i < LIKENESS_PIXELS; i++) out[n * LIKENESS_PIXELS + i] = Math.round(reduced[i]);
  }
  return out;
}

/**
 * The distance from `query` (reduced, in [0,1]) to its nearest reference image (likenessReference
 * bytes), skipping index `skip`; the search stops early once one is within `enough` (the answer is
 * then that one's distance, ≤ enough).
 */
export function nearestDistance(query: Float32Array, reference: Uint8Array, enough = 0, skip = -1): number {
  const count = reference.length / LIKENESS_PIXELS;
  const scaled = query.map((v) => v * 255);
  const stop = (enough * 255) ** 2;
  let best = Infinity;
  for (let n = 0; n < count; n++) {
    if (n === skip) continue;
    const offset = n * LIKENESS_PIXELS;
    let squared = 0;
    for (let i = 0; i < LIKENESS_PIXELS && squared < best; i++) {
      const d = reference[offset + i] - scaled[i];
      squared += d * d;
    }
    if (squared < best) best = squared;
    if (best <= stop) break;
  }
  return Math.sqrt(best) / 255;
}

/** Is the 28×28 input (in [0,1]) farther than NOT_A_DIGIT_DISTANCE from every reference digit? */
export function looksLikeNoDigit(input: Float32Array, reference: Uint8Array): boolean {
  return nearestDistance(reduceForLikeness(input), reference, NOT_A_DIGIT_DISTANCE) > NOT_A_DIGIT_DISTANCE;
}
