// Writes real MNIST test digits as image files "the ways people save digits": for tests of the
// image decoder, the preprocessing and end-to-end prediction.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { type MnistData, mnistSample } from '../../src/shared/mnist';
import { loadMnist } from '../../src/trainer/mnistLoader';
import { resizeArea } from '../../src/shared/preprocess';

export const DIGIT_VARIANTS = [
  'png',
  'inverted',
  'offcentre',
  'jpeg',
  'alpha',
  'gray16',
  'tinted',
  'palette',
  'palette-trns',
  'large',
  'jpeg-exif-rotated',
] as const;
export type DigitVariant = (typeof DIGIT_VARIANTS)[number];

export interface DigitFile {
  file: string;
  label: number;
  variant: DigitVariant;
}

type Rgb = [number, number, number];

let mnist: MnistData | null = null;
function testSet(): MnistData['test'] {
  mnist ??= loadMnist();
  return mnist.test;
}

/** MNIST test digit `index` as ink in [0,1] (white on black). */
export function mnistInk(index: number): Float32Array {
  return Float32Array.from(mnistSample(testSet(), index), (v) => v / 255);
}

/** Every variant of each test digit, in `indices` order then DIGIT_VARIANTS order (plain PNG first). */
export function writeDigitVariants(
  dir: string,
  indices: number[],
  variants: readonly DigitVariant[] = DIGIT_VARIANTS,
): DigitFile[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: DigitFile[] = [];
  for (const index of indices) {
    const label = testSet().labels[index];
    for (const variant of variants) {
      const { ext, bytes } = encodeVariant(mnistInk(index), variant);
      const file = path.join(dir, `mnist-test-${index}-${variant}.${ext}`);
      fs.writeFileSync(file, bytes);
      out.push({ file, label, variant });
    }
  }
  return out;
}

function encodeVariant(ink: Float32Array, variant: DigitVariant): { ext: string; bytes: Buffer } {
  const side = 28;
  const white: Rgb = [255, 255, 255];
  const black: Rgb = [0, 0, 0];
  switch (variant) {
    case 'png':
      return { ext: 'png', bytes: writeGray(ink, side, side, 8) };
    case 'gray16':
      return { ext: 'png', bytes: writeGray(ink, side, side, 16) };
    case 'inverted':
      return { ext: 'png', bytes: writeRgba(paint(ink, side, side, white, black), side, side) };
    case 'tinted':
      // Beige paper, dark blue ballpoint.
      return { ext: 'png', bytes: writeRgba(paint(ink, side, side, [240, 228, 200], [25, 35, 120]), side, side) };
    case 'alpha': {
      // Black strokes on a transparent canvas: the ink is in the alpha channel.
      const rgba = new Uint8Array(side * side * 4);
      ink.forEach((v, i) => (rgba[4 * i + 3] = Math.round(v * 255)));
      return { ext: 'png', bytes: writeRgba(rgba, side, side) };
    }
    case 'offcentre': {
      // A small dark digit near the lower left of a large white canvas.
      const [w, h, left, top] = [160, 120, 18, 80];
      const canvas = new Float32Array(w * h);
      for (let y = 0; y < side; y++) canvas.set(ink.subarray(y * side, (y + 1) * side), (top + y) * w + left);
      return { ext: 'png', bytes: writeRgba(paint(canvas, w, h, white, black), w, h) };
    }
    case 'jpeg': {
      // Scanned-looking: 4× upscaled, black on white, quality 75.
      const s = side * 4;
      const big = resizeArea({ width: side, height: side, pixels: ink }, s, s).pixels;
      return { ext: 'jpg', bytes: jpeg.encode({ data: paint(big, s, s, white, black), width: s, height: s }, 75).data };
    }
    case 'jpeg-exif-rotated': {
      // A phone photo: stored sideways (turned 90° counter-clockwise) with EXIF orientation 6
      // ("rotate 90° clockwise to view"); upright it is 112 wide and 140 tall (paper below the digit).
      const [w, h] = [side * 4, side * 5];
      const upright = new Float32Array(w * h);
      upright.set(resizeArea({ width: side, height: side, pixels: ink }, w, w).pixels);
      const stored = new Float32Array(w * h); // h wide, w tall
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) stored[(w - 1 - x) * h + y] = upright[y * w + x];
      const encoded = jpeg.encode({ data: paint(stored, h, w, white, black), width: h, height: w }, 90).data;
      return { ext: 'jpg', bytes: withExifOrientation(encoded, 6) };
    }
    case 'large': {
      const s = side * 10;
      const big = resizeArea({ width: side, height: side, pixels: ink }, s, s).pixels;
      return { ext: 'png', bytes: writeRgba(paint(big, s, s, black, white), s, s) };
    }
    case 'palette':
      return { ext: 'png', bytes: writePalette(ink, side, side, false) };
    case 'palette-trns':
      return { ext: 'png', bytes: writePalette(ink, side, side, true) };
  }
}

/** Inserts an APP1 Exif segment whose IFD0 holds only the Orientation tag, after the JFIF APP0. */
export function withExifOrientation(jpegBytes: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    0x2a,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.concat([
    Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
    payload,
  ]);
  const afterApp0 = jpegBytes[3] === 0xe0 ? 4 + jpegBytes.readUInt16BE(4) : 2;
  return Buffer.concat([jpegBytes.subarray(0, afterApp0), segment, jpegBytes.subarray(afterApp0)]);
}

/** RGBA bytes: each pixel blends from `paper` (ink 0) to `pen` (ink 1). */
function paint(ink: Float32Array, width: number, height: number, paper: Rgb, pen: Rgb): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < ink.length; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(paper[c] + ink[i] * (pen[c] - paper[c]));
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

function writeRgba(rgba: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png, { colorType: 6 });
}

function writeGray(ink: Float32Array, width: number, height: number, bitDepth: 8 | 16): Buffer {
  const max = bitDepth === 16 ? 65535 : 255;
  const values = bitDepth === 16 ? new Uint16Array(ink.length) : new Uint8Array(ink.length);
  ink.forEach((v, i) => (values[i] = Math.round(v * max)));
  const png = new PNG({ width, height, bitDepth, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(values.buffer);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth });
}

/**
 * An indexed-colour PNG (pngjs cannot write colour type 3, so the chunks are built here): 16 grey
 * levels; with `transparentBackground`, palette entry 0 (the black background) is transparent via tRNS.
 */
function writePalette(ink: Float32Array, width: number, height: number, transparentBackground: boolean): Buffer {
  const levels = 16;
  const palette = Buffer.alloc(levels * 3);
  for (let l = 0; l < levels; l++) palette.fill(Math.round((l * 255) / (levels - 1)), 3 * l, 3 * l + 3);
  const rows = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = Math.round(ink[y * width + x] * (levels - 1));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (palette), deflate, no filter, no interlace
  const chunks = [chunk('IHDR', header), chunk('PLTE', palette)];
  if (transparentBackground) chunks.push(chunk('tRNS', Buffer.from([0])));
  chunks.push(chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + data.length);
  return out;
}
