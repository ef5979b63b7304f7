// Turns any picture of a digit into the 28×28 input MNIST's makers would have produced: white ink
// on black, digit scaled to fit 20×20 keeping its aspect ratio, centre of mass at pixel (14, 14).
// Each step is a small exported function so it can be checked against hand-made arrays.
import { MNIST_SIDE } from './mnist';
import type { UnsureReason } from './verdict';
import {
  type Box,
  type DigitGroup,
  type GrayImage,
  type RgbaImage,
  type Mask,
  chooseDigit,
  connectedComponents,
  divideBackground,
  estimateBackground,
  findPaper,
  histogramMedian,
  hysteresis,
  inkThresholds,
  isLightBackground,
  isolateDigit,
  longLines,
  rotate,
  skewAngle,
  slantedLines,
  subtract,
  trim,
} from './photo';

export type { Box, GrayImage, RgbaImage } from './photo';

/** MNIST digits were scaled to fit this box before centring. */
export const DIGIT_BOX = 20;
/** Normalised ink below this is noise (JPEG ringing, paper texture) when finding the digit's extent. */
export const INK_THRESHOLD = 0.15;
/** Less contrast than this between background and the strongest ink means there is no digit. */
export const MIN_CONTRAST = 0.08;
/**
 * Stroke widths at the 20-pixel scale, as strokeWidth() measures them: MNIST's median is ≈1.9 and
 * its 5th percentile ≈1.2 (test digits 0–999). Thinner strokes (a fine pen on a big canvas) fade
 * to near nothing when shrunk, so they are thickened to a typical width first. The threshold sits
 * below MNIST's own range so real MNIST digits pass through untouched.
 */
export const MIN_STROKE = 0.8;
export const TARGET_STROKE = 1.8;
/** Thickening works at this multiple of the final resolution, so widths change in quarter pixels. */
const FINE = 4;

/** Pictures are reduced to this longer side before any other step: a 12 MP photo costs what a small one does. */
export const WORKING_SIDE = 512;
/** Side of the small pictures of each step that travel to the prediction view. */
export const STEP_SIDE = 96;
/** Stroke-sized marks beyond this many are scribbles or text, not one digit. */
export const MAX_STROKES = 12;

/** One stage of the pipeline as a small picture (longer side ≤ STEP_SIDE): 1 channel grey or 4 RGBA, bytes. */
export interface PreprocessStage {
  /** 'paper' (the sheet found on a desk) and 'lines' (folds taken out) only when those steps changed something. */
  name: 'original' | 'paper' | 'normalised' | 'ink' | 'lines' | 'digit' | 'input';
  width: number;
  height: number;
  channels: 1 | 4;
  pixels: Uint8Array;
}

export interface DigitReading {
  /** The 28×28 MNIST input, row-major, in [0,1]. */
  input: Float32Array;
  /** 'clean': a scan or MNIST-like file, read as before; 'photo': paper found and evened out first. */
  kind: 'clean' | 'photo';
  steps: PreprocessStage[];
  /** Why this does not look like one digit (null when it does): the model's answer is then a guess. */
  doubt: UnsureReason | null;
}

export function toMnistInput(image: RgbaImage): Float32Array {
  return readDigit(image).input;
}

/**
 * Clean pictures (one uniform background, the digit the only ink) keep the original MNIST steps:
 * border background, stretch to the darkest ink, box of ink ≥ 15 %. A photo is recognised by that
 * box straying far from the digit the photo steps find (shadow, ruled lines, specks, noise), and
 * then read by them: divide out the paper's illumination, hysteresis threshold, remove long lines,
 * keep the dominant group of strokes, deskew; then the same MNIST steps.
 */
export function readDigit(original: RgbaImage): DigitReading {
  const image = toWorkingSize(original);
  const picture = compositeToGray(image);
  const legacyInk = normalizeInk(picture, borderBackground(picture));
  const legacyBox = inkBoundingBox(legacyInk, INK_THRESHOLD);
  // Only light paper is looked for: on a dark picture (chalk, white ink on black) the bright part is the ink.
  const sheet = isLightBackground(picture) ? findPaper(image) : null;
  // Beyond the paper's edge (a desk, a table) is painted over with the paper's own grey: no ink there.
  const gray = sheet === null ? picture : paintOutside(picture, sheet);
  const paper = isLightBackground(gray) ? gray : invert(gray);
  const ink = divideBackground(paper, estimateBackground(paper));
  const fullMask = hysteresis(ink, inkThresholds(ink));
  const firstGroup = chooseDigit(connectedComponents(fullMask).components);
  const lineThickness = Math.max(3, Math.round(0.012 * Math.max(ink.width, ink.height)));
  const straight = longLines(fullMask, LINE_FRACTION, lineThickness);
  const folds = slantedLines(
    subtract(fullMask, straight),
    Math.ceil(FOLD_FRACTION * Math.max(ink.width, ink.height)),
    lineThickness,
    FOLD_GAP,
  );
  const lines = union(straight, folds);
  const mask = subtract(fullMask, lines);
  const steps = (digit: GrayImage | null, input: Float32Array, photo: boolean): PreprocessStage[] => [
    stepOfRgba(image),
    ...(photo && sheet !== null ? [stepOfGray('paper', gray)] : []),
    stepOfGray('normalised', invert(clamp01(ink))),
    stepOfGray('ink', maskPicture(photo ? mask : fullMask)),
    ...(photo && folds.bits.includes(1) ? [stepOfGray('lines', linesPicture(mask, lines))] : []),
    stepOfGray('digit', digit ?? { width: 1, height: 1, pixels: new Float32Array(1) }),
    stepOfGray('input', { width: MNIST_SIDE, height: MNIST_SIDE, pixels: input }),
  ];
  const { labels, components } = connectedComponents(mask);
  const group = chooseDigit(components);
  const clean =
    sheet === null &&
    firstGroup !== null &&
    legacyBox !== null &&
    boxesAgree(legacyBox, firstGroup.box) &&
    !lines.bits.includes(1);
  if (group === null || (legacyBox !== null && clean)) {
    // A clean picture, or one whose only long stroke is the digit itself (a "1" filling a tight crop).
    const digit = legacyBox && crop(legacyInk, legacyBox);
    const input = digit ? mnistSteps(digit) : new Float32Array(MNIST_SIDE * MNIST_SIDE);
    return { input, kind: 'clean', steps: steps(digit, input, false), doubt: doubtOf(firstGroup, ink) };
  }
  const isolated = isolateDigit(ink, labels, group);
  const digit = trim(rotate(isolated, -skewAngle(isolated)));
  const input = mnistSteps(digit);
  return { input, kind: 'photo', steps: steps(digit, input, true), doubt: doubtOf(group, ink) };
}

/** Slanted lines (folds) this long, as a fraction of the picture's longer side, are not strokes. */
export const FOLD_FRACTION = 0.45;
/** A fold's faint line may break for this many pixels and still be one line. */
const FOLD_GAP = 12;

/** The robust spread (1.4826 × median absolute deviation) of normalised ink: the paper's own noise. */
function noiseSigma(ink: GrayImage): number {
  const median = histogramMedian(ink.pixels, -1, 1);
  return (
    1.4826 *
    histogramMedian(
      ink.pixels.map((v) => Math.abs(v - median)),
      0,
      1,
    )
  );
}

function paintOutside(image: GrayImage, sheet: Mask): GrayImage {
  const inside = image.pixels.filter((_, i) => sheet.bits[i] === 1);
  const level = histogramMedian(inside, 0, 1);
  return { ...image, pixels: image.pixels.map((v, i) => (sheet.bits[i] ? v : level)) };
}

function maskPicture(mask: Mask): GrayImage {
  return { width: mask.width, height: mask.height, pixels: Float32Array.from(mask.bits) };
}

/** The ink kept in white and the lines taken out in dark grey. */
function linesPicture(kept: Mask, lines: Mask): GrayImage {
  return {
    width: kept.width,
    height: kept.height,
    pixels: Float32Array.from(kept.bits, (v, i) => (v ? 1 : lines.bits[i] ? 0.35 : 0)),
  };
}

function union(a: Mask, b: Mask): Mask {
  return { width: a.width, height: a.height, bits: a.bits.map((v, i) => v | b.bits[i]) };
}

/** Lines running over this fraction of the picture's width or height are paper rules, not strokes (MNIST digits span ≤ 20/28 = 71 %). */
export const LINE_FRACTION = 0.75;

/** Today's MNIST steps on a cropped digit: thicken hairlines, fit 20×20, stretch, centre of mass at (14, 14). */
function mnistSteps(crop: GrayImage): Float32Array {
  const digit = thickenThinStrokes(crop);
  const { width, height } = fitInside(digit.width, digit.height, DIGIT_BOX);
  return placeByCenterOfMass(stretchToFull(resizeArea(digit, width, height)), MNIST_SIDE);
}

/** Do the plain ink box and the photo steps' digit box frame the same thing (within a tenth of the digit + 2 px)? */
export function boxesAgree(a: Box, b: Box): boolean {
  const slack = 2 + 0.1 * Math.max(b.x1 - b.x0, b.y1 - b.y0);
  return (
    Math.abs(a.x0 - b.x0) <= slack &&
    Math.abs(a.y0 - b.y0) <= slack &&
    Math.abs(a.x1 - b.x1) <= slack &&
    Math.abs(a.y1 - b.y1) <= slack
  );
}

/** A "digit" smaller than this fraction of the picture's longer side is a speck or grid remnant: the picture is empty. */
export const MIN_DIGIT_FRACTION = 0.03;
/** Paper whose normalised ink varies this much (robust σ) everywhere is noise or texture, not paper with a digit. */
const NOISE_SIGMA = 0.2;

function doubtOf(group: DigitGroup | null, ink: GrayImage): UnsureReason | null {
  if (noiseSigma(ink) > NOISE_SIGMA) return { kind: 'notADigit' };
  const side = Math.max(ink.width, ink.height);
  if (group === null || Math.max(group.box.x1 - group.box.x0, group.box.y1 - group.box.y0) < MIN_DIGIT_FRACTION * side)
    return { kind: 'empty' };
  if (group.rivals > 0 || group.inRow > 1) return { kind: 'severalDigits' };
  if (group.strokes > MAX_STROKES) return { kind: 'tooManyMarks', marks: group.strokes };
  return null;
}

/** The picture area-reduced so its longer side is at most WORKING_SIDE (unchanged when it already is). */
export function toWorkingSize(image: RgbaImage): RgbaImage {
  const longer = Math.max(image.width, image.height);
  if (longer <= WORKING_SIDE) return image;
  const { width, height } = fitInside(image.width, image.height, WORKING_SIDE);
  return resizeRgba(image, width, height);
}

/** Area-averaging resize of every channel of an RGBA picture. */
export function resizeRgba(image: RgbaImage, width: number, height: number): RgbaImage {
  const rgba = new Float32Array(width * height * 4);
  const n = image.width * image.height;
  const channel = new Float32Array(n);
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < n; i++) channel[i] = image.rgba[4 * i + c];
    const resized = resizeArea({ width: image.width, height: image.height, pixels: channel }, width, height).pixels;
    for (let i = 0; i < resized.length; i++) rgba[4 * i + c] = resized[i];
  }
  return { width, height, rgba };
}

function clamp01(image: GrayImage): GrayImage {
  return { ...image, pixels: image.pixels.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v)) };
}

function invert(image: GrayImage): GrayImage {
  return { ...image, pixels: image.pixels.map((v) => 1 - v) };
}

function stepOfRgba(image: RgbaImage): PreprocessStage {
  const { width, height } = fitInside(
    image.width,
    image.height,
    Math.min(STEP_SIDE, Math.max(image.width, image.height)),
  );
  const small = resizeRgba(image, width, height);
  return {
    name: 'original',
    width,
    height,
    channels: 4,
    pixels: Uint8Array.from(small.rgba, (v) => Math.round(v * 255)),
  };
}

function stepOfGray(name: PreprocessStage['name'], image: GrayImage): PreprocessStage {
  const { width, height } = fitInside(
    image.width,
    image.height,
    Math.min(STEP_SIDE, Math.max(image.width, image.height)),
  );
  const small = resizeArea(image, width, height);
  return { name, width, height, channels: 1, pixels: Uint8Array.from(small.pixels, (v) => Math.round(v * 255)) };
}

/**
 * Turns the stored pixels upright as a viewer shows them, for EXIF orientation 1–8 (phone photos
 * are stored sideways with a tag saying how to rotate/mirror them). Unknown values mean 1.
 */
export function applyExifOrientation(image: RgbaImage, orientation: number): RgbaImage {
  if (!Number.isInteger(orientation) || orientation < 2 || orientation > 8) return image;
  const { width: w, height: h, rgba } = image;
  const swap = orientation >= 5;
  const width = swap ? h : w;
  const height = swap ? w : h;
  // Output (x, y) → stored (sx, sy), per orientation (TIFF/EXIF 2.3 tag 0x0112).
  const source: Record<number, (x: number, y: number) => [number, number]> = {
    2: (x, y) => [w - 1 - x, y],
    3: (x, y) => [w - 1 - x, h - 1 - y],
    4: (x, y) => [x, h - 1 - y],
    5: (x, y) => [y, x],
    6: (x, y) => [y, h - 1 - x],
    7: (x, y) => [w - 1 - y, h - 1 - x],
    8: (x, y) => [w - 1 - y, x],
  };
  const from = source[orientation];
  const out = new Float32Array(rgba.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = from(x, y);
      out.set(rgba.subarray(4 * (sy * w + sx), 4 * (sy * w + sx) + 4), 4 * (y * width + x));
    }
  }
  return { width, height, rgba: out };
}

/**
 * Luma (Rec. 601, as PIL's convert('L')) with transparency composited onto a background that
 * contrasts with the visible strokes: onto white when the opaque pixels are dark on average (black
 * ink on a transparent canvas shows black-on-white, as in a viewer), onto black when they are light
 * (white ink on a transparent canvas). Opaque images are unaffected by the rule.
 */
export function compositeToGray(image: RgbaImage): GrayImage {
  const { width, height, rgba } = image;
  const n = width * height;
  if (rgba.length !== n * 4)
    throw new RangeError(`RGBA data has ${rgba.length} values, expected ${n * 4} for ${width}×${height}`);
  const luma = new Float32Array(n);
  let alphaSum = 0;
  let weightedLuma = 0;
  for (let i = 0; i < n; i++) {
    const y = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
    const a = rgba[4 * i + 3];
    luma[i] = y;
    alphaSum += a;
    weightedLuma += a * y;
  }
  const background = alphaSum > 0 && weightedLuma / alphaSum < 0.5 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3];
    luma[i] = a * luma[i] + (1 - a) * background;
  }
  return { width, height, pixels: luma };
}

/** The background level: the median of the border pixels (ink touching the edge does not move it). */
export function borderBackground(image: GrayImage): number {
  const { width, height, pixels } = image;
  const border: number[] = [];
  for (let x = 0; x < width; x++) {
    border.push(pixels[x]);
    if (height > 1) border.push(pixels[(height - 1) * width + x]);
  }
  for (let y = 1; y < height - 1; y++) {
    border.push(pixels[y * width]);
    if (width > 1) border.push(pixels[y * width + width - 1]);
  }
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/**
 * Ink in [0,1]: background → 0, the strongest ink → 1. A light background means dark ink (the image
 * is inverted); a tinted paper or grey ink is stretched to the full range. Too little contrast → all 0.
 */
export function normalizeInk(image: GrayImage, background: number): GrayImage {
  const { width, height, pixels } = image;
  const light = background > 0.5;
  let strongest = background;
  for (let i = 0; i < pixels.length; i++)
    strongest = light ? Math.min(strongest, pixels[i]) : Math.max(strongest, pixels[i]);
  const contrast = Math.abs(strongest - background);
  const out = new Float32Array(pixels.length);
  if (contrast >= MIN_CONTRAST) {
    const sign = light ? -1 : 1;
    for (let i = 0; i < pixels.length; i++) {
      const ink = (sign * (pixels[i] - background)) / contrast;
      out[i] = ink < 0 ? 0 : ink > 1 ? 1 : ink;
    }
  }
  return { width, height, pixels: out };
}

/** The smallest box holding every pixel with ink ≥ threshold, or null when there is none. */
export function inkBoundingBox(image: GrayImage, threshold: number): Box | null {
  const { width, height, pixels } = image;
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] < threshold) continue;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

export function crop(image: GrayImage, box: Box): GrayImage {
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const start = (box.y0 + y) * image.width + box.x0;
    pixels.set(image.pixels.subarray(start, start + width), y * width);
  }
  return { width, height, pixels };
}

/** The size that fits a width×height picture inside side×side keeping its aspect ratio (longer side = side). */
export function fitInside(width: number, height: number, side: number): { width: number; height: number } {
  const scale = side / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Area-averaging resize (a box filter with fractional overlaps): every output pixel is the mean of
 * the source area it covers, so large photos shrink without aliasing. Separable: rows, then columns.
 */
export function resizeArea(image: GrayImage, width: number, height: number): GrayImage {
  const { width: w, height: h, pixels: src } = image;
  const columns = areaWeights(w, width);
  const rows = areaWeights(h, height);
  const wide = new Float32Array(h * width);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [s, weight] of columns[x]) sum += weight * src[y * w + s];
      wide[y * width + x] = sum;
    }
  }
  const pixels = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (const [s, weight] of rows[y]) {
      for (let x = 0; x < width; x++) pixels[y * width + x] += weight * wide[s * width + x];
    }
  }
  return { width, height, pixels };
}

/** For each of `to` output samples, the source samples it covers and their weights (summing to 1). */
export function areaWeights(from: number, to: number): [source: number, weight: number][][] {
  const ratio = from / to;
  const weights: [number, number][][] = [];
  for (let o = 0; o < to; o++) {
    const start = o * ratio;
    const end = start + ratio;
    const taps: [number, number][] = [];
    for (let s = Math.floor(start); s < Math.min(from, Math.ceil(end)); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s);
      if (overlap > 1e-9) taps.push([s, overlap / ratio]);
    }
    weights.push(taps);
  }
  return weights;
}

/** Mean stroke width in pixels of the ink ≥ 0.5: 2·area / perimeter (→ the width for long straight strokes). */
export function strokeWidth(image: GrayImage): number {
  const { width, height, pixels } = image;
  const on = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && pixels[y * width + x] >= 0.5;
  let area = 0;
  let perimeter = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!on(x, y)) continue;
      area++;
      perimeter += Number(!on(x + 1, y)) + Number(!on(x - 1, y)) + Number(!on(x, y + 1)) + Number(!on(x, y - 1));
    }
  }
  return perimeter > 0 ? (2 * area) / perimeter : 0;
}

/**
 * A cropped digit whose strokes would be thinner than MIN_STROKE once fitted into 20×20 comes back
 * resampled to FINE× the final size with its strokes widened (max filter) to about TARGET_STROKE;
 * the canvas grows with them. Other digits come back unchanged.
 */
export function thickenThinStrokes(digit: GrayImage): GrayImage {
  const scale = DIGIT_BOX / Math.max(digit.width, digit.height);
  const sourceWidth = strokeWidth(digit);
  if (sourceWidth * scale >= MIN_STROKE) return digit;
  const fine = fitInside(digit.width, digit.height, DIGIT_BOX * FINE);
  const fineScale = scale * FINE;
  const radius = Math.max(1, Math.round((TARGET_STROKE * FINE - sourceWidth * fineScale) / 2));
  return dilate(resizeArea(digit, fine.width, fine.height), radius);
}

/**
 * Grey-level dilation: each pixel becomes the maximum within a (2·radius+1)² square. The canvas
 * grows by radius on every side so strokes at the edge widen too. Separable: rows, then columns.
 */
export function dilate(image: GrayImage, radius: number): GrayImage {
  const { width: w, height: h, pixels } = image;
  const width = w + 2 * radius;
  const height = h + 2 * radius;
  const across = new Float32Array(width * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < width; x++) {
      let max = 0;
      for (let k = Math.max(0, x - 2 * radius); k <= Math.min(w - 1, x); k++) max = Math.max(max, pixels[y * w + k]);
      across[y * width + x] = max;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let max = 0;
      for (let k = Math.max(0, y - 2 * radius); k <= Math.min(h - 1, y); k++)
        max = Math.max(max, across[k * width + x]);
      out[y * width + x] = max;
    }
  }
  return { width, height, pixels: out };
}

/** Scales ink so its maximum is 1 again (thin strokes fade when a big image is shrunk). */
export function stretchToFull(image: GrayImage): GrayImage {
  let max = 0;
  for (const v of image.pixels) if (v > max) max = v;
  if (max === 0 || max === 1) return image;
  return { ...image, pixels: image.pixels.map((v) => v / max) };
}

/** The ink-weighted mean position, in pixel-index coordinates (pixel (0,0) is at (0,0)). */
export function centerOfMass(image: GrayImage): { x: number; y: number } {
  const { width, height, pixels } = image;
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      mass += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : { x: (width - 1) / 2, y: (height - 1) / 2 };
}

/**
 * Pastes the digit into a side×side black field, shifted by whole pixels so its centre of mass
 * lands on (side/2, side/2) — (14, 14) for MNIST, where the real digits' centre of mass is.
 * Anything shifted past the edge is cut off, as in MNIST.
 */
export function placeByCenterOfMass(digit: GrayImage, side: number): Float32Array {
  const com = centerOfMass(digit);
  const dx = Math.round(side / 2 - com.x);
  const dy = Math.round(side / 2 - com.y);
  const out = new Float32Array(side * side);
  for (let y = 0; y < digit.height; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= side) continue;
    for (let x = 0; x < digit.width; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < side) out[ty * side + tx] = digit.pixels[y * digit.width + x];
    }
  }
  return out;
}
