// Decodes a PNG or JPEG digit picture into RgbaImage and MNIST input. The format is sniffed from
// the bytes, not the extension; size limits are checked from the header before decoding.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataFileError } from '../shared/idx';
import { type DigitReading, type RgbaImage, WORKING_SIDE, applyExifOrientation, readDigit } from '../shared/preprocess';
import { messageOf } from '../shared/errors';

/** Larger files are refused before reading (a digit picture is kilobytes; a big photo tens of MB). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/**
 * Larger images are refused before decoding. Peak memory is the decoder's (jpeg-js holds the file,
 * its component planes and 4 bytes per pixel: ≈ 8 bytes per pixel, 200 MB at 25 MP); the floats
 * preprocessing works on are shrunk to about WORKING_SIDE first, whatever the picture's size.
 */
export const MAX_PIXELS = 25_000_000;
/** A longer side than this is refused (a 25 MP strip 100,000 pixels long is no digit picture). */
export const MAX_SIDE = 16_384;
/** Pictures narrower than 1/MAX_ASPECT of their length are refused: shrunk to the working size they vanish. */
export const MAX_ASPECT = 16;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const OTHER_FORMATS: [string, number[]][] = [
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['BMP', [0x42, 0x4d]],
  ['WebP', [0x52, 0x49, 0x46, 0x46]],
  ['TIFF', [0x49, 0x49, 0x2a, 0x00]],
  ['TIFF', [0x4d, 0x4d, 0x00, 0x2a]],
];

export type ImageFormat = 'png' | 'jpeg';

export function loadDigitInput(file: string): DigitReading & { image: RgbaImage } {
  return digitReading(loadImage(file));
}

export function loadImage(file: string): RgbaImage {
  return decodeImage(readImageFile(file), file);
}

/**
 * loadDigitInput for the predict path: a JPEG larger than twice the working size is decoded scaled
 * by libjpeg-turbo (sharp: its native build where npm installed one, else its WebAssembly build,
 * which the .vsix carries for every platform), so a 12 MP photo never exists at full size in
 * memory. Everything else, and any JPEG when sharp cannot load, goes through loadDigitInput's decoders.
 */
export async function loadDigitInputScaled(file: string): Promise<DigitReading & { image: RgbaImage }> {
  const bytes = readImageFile(file);
  const format = sniffFormat(bytes, file);
  if (format !== 'jpeg') return digitReading(decodeImage(bytes, file));
  const { width, height } = jpegHeader(bytes, file);
  checkSize(width, height, file);
  const sharp = Math.max(width, height) > 2 * WORKING_SIDE ? await loadSharp() : null;
  if (sharp === null) return digitReading(decodeImage(bytes, file));
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
      .rotate() // EXIF orientation
      .resize(2 * WORKING_SIDE, 2 * WORKING_SIDE, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    const reason = messageOf(e).split('\n')[0];
    throw new DataFileError({ kind: 'imageCorrupt', file, format: 'JPEG', reason });
  }
  return digitReading(shrinkToFloat(raw.data, raw.info.width, raw.info.height));
}

type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp | null> | null = null;

/** sharp, or null when neither its native nor its wasm build loads here (then jpeg-js decodes). */
function loadSharp(): Promise<Sharp | null> {
  sharpModule ??= import('sharp').then(
    (m) => (m as unknown as { default?: Sharp }).default ?? (m as unknown as Sharp),
    () => null,
  );
  return sharpModule;
}

/** An empty picture is an answer too: a blank input with the doubt 'empty', never an error. */
function digitReading(image: RgbaImage): DigitReading & { image: RgbaImage } {
  return { image, ...readDigit(image) };
}

/** The file's bytes: a regular file within the size limit, else a DataFileError. */
function readImageFile(file: string): Uint8Array {
  if (!existsSync(file)) throw new DataFileError({ kind: 'imageNotFound', file });
  const info = statSync(file);
  if (!info.isFile()) throw new DataFileError({ kind: 'imageNotAFile', file });
  if (info.size > MAX_FILE_BYTES)
    throw new DataFileError({ kind: 'imageTooLarge', file, mb: mb(info.size), max: mb(MAX_FILE_BYTES) });
  return readFileSync(file);
}

/** Decodes PNG (any bit depth and colour type, with tRNS) or JPEG bytes; `file` names them in errors. */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const format = sniffFormat(bytes, file);
  const { width, height, orientation } =
    format === 'png' ? { ...pngSize(bytes, file), orientation: 1 } : jpegHeader(bytes, file);
  checkSize(width, height, file);
  let rgba8: Uint8Array;
  try {
    rgba8 =
      format === 'png'
        ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).data
        : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6 }).data;
  } catch (e) {
    throw new DataFileError({ kind: 'imageCorrupt', file, format: format.toUpperCase(), reason: messageOf(e) });
  }
  if (rgba8.length !== width * height * 4) {
    throw new DataFileError({
      kind: 'imageWrongLength',
      file,
      format: format.toUpperCase(),
      bytes: rgba8.length,
      expected: width * height * 4,
    });
  }
  return applyExifOrientation(shrinkToFloat(rgba8, width, height), orientation);
}

/**
 * The decoded bytes as RgbaImage in [0,1], shrunk first by the largest whole factor that keeps the
 * longer side ≥ WORKING_SIDE (the mean of each factor×factor block): a 12 MP photo becomes ≈ 0.2 MP
 * of floats instead of 192 MB. Pictures up to twice the working size are converted as they are.
 */
export function shrinkToFloat(rgba8: Uint8Array, width: number, height: number): RgbaImage {
  const factor = Math.max(1, Math.floor(Math.max(width, height) / WORKING_SIDE));
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const rgba = new Float32Array(w * h * 4);
  const counts = new Uint32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * w;
    for (let x = 0; x < width; x++) {
      const o = row + Math.floor(x / factor);
      const i = 4 * (y * width + x);
      rgba[4 * o] += rgba8[i];
      rgba[4 * o + 1] += rgba8[i + 1];
      rgba[4 * o + 2] += rgba8[i + 2];
      rgba[4 * o + 3] += rgba8[i + 3];
      counts[o]++;
    }
  }
  for (let o = 0; o < counts.length; o++) for (let c = 0; c < 4; c++) rgba[4 * o + c] /= 255 * counts[o];
  return { width: w, height: h, rgba };
}

export function sniffFormat(bytes: Uint8Array, file: string): ImageFormat {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  const other = OTHER_FORMATS.find(([, magic]) => startsWith(bytes, magic));
  if (other) throw new DataFileError({ kind: 'imageOtherFormat', file, format: other[0] });
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DataFileError(
    bytes.length === 0 ? { kind: 'imageEmpty', file } : { kind: 'imageUnknownFormat', file, head },
  );
}

/** Width and height from the IHDR chunk, which the PNG spec requires to come first. */
function pngSize(bytes: Uint8Array, file: string): { width: number; height: number } {
  const ihdr = [0x49, 0x48, 0x44, 0x52];
  if (bytes.length < 24 || !ihdr.every((b, i) => bytes[12 + i] === b))
    throw new DataFileError({ kind: 'imageNoPngHeader', file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Width and height from the first start-of-frame marker (SOF0–SOF15 except DHT/JPG/DAC), and the
 * EXIF orientation from an APP1 segment before it (1 when there is none).
 */
function jpegHeader(bytes: Uint8Array, file: string): { width: number; height: number; orientation: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let orientation = 1;
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw new DataFileError({ kind: 'imageJpegMarker', file, pos });
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    const length = view.getUint16(pos + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (pos + 9 > bytes.length) break;
      return { width: view.getUint16(pos + 7), height: view.getUint16(pos + 5), orientation };
    }
    if (marker === 0xe1)
      orientation = exifOrientation(bytes.subarray(pos + 4, Math.min(bytes.length, pos + 2 + length))) ?? orientation;
    pos += 2 + length;
  }
  throw new DataFileError({ kind: 'imageNoJpegFrame', file });
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" payload, or null when absent or malformed. */
export function exifOrientation(app1: Uint8Array): number | null {
  const EXIF = [0x45, 0x78, 0x69, 0x66, 0, 0];
  if (!startsWith(app1, EXIF) || app1.length < 6 + 8) return null;
  const tiff = new DataView(app1.buffer, app1.byteOffset + 6, app1.length - 6);
  const order = tiff.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const little = order === 0x4949;
  const ifd = tiff.getUint32(4, little);
  if (ifd + 2 > tiff.byteLength) return null;
  const entries = tiff.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > tiff.byteLength) return null;
    if (tiff.getUint16(entry, little) === 0x0112) return tiff.getUint16(entry + 8, little);
  }
  return null;
}

function checkSize(width: number, height: number, file: string): void {
  if (width === 0 || height === 0) throw new DataFileError({ kind: 'imageNoPixels', file, width, height });
  if (Math.max(width, height) > MAX_SIDE)
    throw new DataFileError({ kind: 'imageSideTooLong', file, width, height, max: MAX_SIDE });
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (aspect > MAX_ASPECT) {
    throw new DataFileError({ kind: 'imageAspect', file, width, height, aspect: aspect.toFixed(0), max: MAX_ASPECT });
  }
  if (width * height > MAX_PIXELS) {
    throw new DataFileError({
      kind: 'imageTooManyPixels',
      file,
      width,
      height,
      mp: ((width * height) / 1e6).toFixed(1),
      max: MAX_PIXELS / 1e6,
    });
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
