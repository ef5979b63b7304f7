import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { DataFileError } from '../../../src/shared/idx';
import { MAX_FILE_BYTES, MAX_PIXELS, exifOrientation, loadDigitInput, loadImage } from '../../../src/trainer/image';
import { type DigitVariant, mnistInk, writeDigitVariants } from '../../support/digitImages';
import { tempDir } from '../../support/tempDir';

const dir = tempDir('image');
const INDEX = 3; // a real MNIST test digit
const written = new Map(writeDigitVariants(dir, [INDEX]).map((d) => [d.variant, d]));
const fileOf = (variant: DigitVariant): string => written.get(variant)?.file ?? assert.fail(`no ${variant} file`);
const channel = (rgba: Float32Array, c: number): number[] =>
  Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i + c]);

/** Asserts `load(file)` fails with a DataFileError naming the file and matching the fault. */
function assertFault(file: string, fault: RegExp, load: (f: string) => unknown = loadImage): void {
  assert.throws(
    () => load(file),
    (e: unknown) => {
      assert.ok(e instanceof DataFileError, `expected DataFileError, got ${String(e)}`);
      assert.equal(e.file, file);
      assert.match(e.message, fault);
      return true;
    },
  );
}

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

test('image: 8-bit grayscale PNG decodes to the exact MNIST pixels', () => {
  const image = loadImage(fileOf('png'));
  assert.equal(image.width, 28);
  assert.equal(image.height, 28);
  const ink = mnistInk(INDEX);
  assert.deepEqual(channel(image.rgba, 0), Array.from(ink));
  assert.ok(channel(image.rgba, 3).every((a) => a === 1));
});

test('image: 16-bit grayscale, RGBA, palette and palette+tRNS PNGs decode to the digit', () => {
  const ink = mnistInk(INDEX);
  const gray16 = loadImage(fileOf('gray16'));
  assert.ok(channel(gray16.rgba, 0).every((v, i) => Math.abs(v - ink[i]) <= 1 / 255));
  const inverted = loadImage(fileOf('inverted'));
  assert.ok(channel(inverted.rgba, 1).every((v, i) => Math.abs(v - (1 - ink[i])) <= 1 / 255));
  const palette = loadImage(fileOf('palette'));
  assert.ok(
    channel(palette.rgba, 2).every((v, i) => Math.abs(v - ink[i]) <= 1 / 30),
    '16 grey levels',
  );
  const trns = loadImage(fileOf('palette-trns'));
  const alpha = channel(trns.rgba, 3);
  assert.ok(
    alpha.every((a, i) => a === (Math.round(ink[i] * 15) === 0 ? 0 : 1)),
    'tRNS makes palette entry 0 transparent',
  );
  const transparent = loadImage(fileOf('alpha'));
  assert.ok(channel(transparent.rgba, 3).every((a, i) => Math.abs(a - ink[i]) <= 1 / 255));
});

test('image: JPEG is sniffed by its bytes, not its extension', () => {
  const jpegAsPng = write('really-a-jpeg.png', fs.readFileSync(fileOf('jpeg')));
  const image = loadImage(jpegAsPng);
  assert.equal(image.width, 112);
  assert.equal(image.height, 112);
  const pngAsJpg = write('really-a-png.jpg', fs.readFileSync(fileOf('png')));
  assert.equal(loadImage(pngAsJpg).width, 28);
});

test('image: a sideways phone JPEG is turned upright by its EXIF orientation', () => {
  const image = loadImage(fileOf('jpeg-exif-rotated'));
  // Stored 140 wide × 112 tall; upright 112 × 140 with the digit at the top.
  assert.equal(image.width, 112);
  assert.equal(image.height, 140);
  const darkRows = Array.from({ length: 140 }, (_, y) =>
    channel(image.rgba, 0)
      .slice(y * 112, (y + 1) * 112)
      .some((v) => v < 0.5),
  );
  assert.ok(
    darkRows.slice(112).every((dark) => !dark),
    'the paper margin is at the bottom',
  );
  assert.ok(darkRows.slice(0, 112).some((dark) => dark));
});

test('exifOrientation: big- and little-endian TIFF headers, absent tag, malformed payloads', () => {
  const ifd = (little: boolean, tag: number, value: number): Uint8Array => {
    const tiff = new DataView(new ArrayBuffer(26));
    tiff.setUint16(0, little ? 0x4949 : 0x4d4d);
    tiff.setUint16(2, 42, little);
    tiff.setUint32(4, 8, little);
    tiff.setUint16(8, 1, little);
    tiff.setUint16(10, tag, little);
    tiff.setUint16(12, 3, little);
    tiff.setUint32(14, 1, little);
    tiff.setUint16(18, value, little);
    return new Uint8Array([...Buffer.from('Exif\0\0', 'latin1'), ...new Uint8Array(tiff.buffer)]);
  };
  assert.equal(exifOrientation(ifd(false, 0x0112, 6)), 6);
  assert.equal(exifOrientation(ifd(true, 0x0112, 8)), 8);
  assert.equal(exifOrientation(ifd(true, 0x010f, 3)), null); // Make, not Orientation
  assert.equal(exifOrientation(Buffer.from('http://ns.adobe.com/xap/1.0/\0')), null); // XMP, not Exif
  assert.equal(exifOrientation(ifd(false, 0x0112, 6).subarray(0, 20)), null); // cut short
});

test('image: missing file, a folder, empty file, text, GIF', () => {
  assertFault(path.join(dir, 'nope.png'), /file not found/);
  assertFault(dir, /not a file/);
  assertFault(write('empty.png', new Uint8Array(0)), /empty file, not a PNG or JPEG image/);
  assertFault(
    write('notes.png', Buffer.from('hello, this is text')),
    /not a PNG or JPEG image \(starts with 68 65 6c 6c\)/,
  );
  assertFault(
    write('anim.png', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')),
    /is a GIF image; only PNG and JPEG are supported/,
  );
});

test('image: truncated PNG and JPEG are reported as corrupt or truncated', () => {
  const png = fs.readFileSync(fileOf('large'));
  assertFault(write('cut.png', png.subarray(0, Math.floor(png.length / 2))), /corrupt or truncated PNG/);
  assertFault(write('header-only.png', png.subarray(0, 20)), /corrupt or truncated PNG \(no IHDR header\)/);
  const jpg = fs.readFileSync(fileOf('jpeg'));
  assertFault(write('cut.jpg', jpg.subarray(0, 120)), /corrupt or truncated JPEG/);
  const damaged = Buffer.from(jpg);
  damaged.fill(0x00, 200, 400); // inside the header segments: tables destroyed
  assertFault(write('damaged.jpg', damaged), /corrupt/);
});

test('image: an oversized PNG or JPEG is refused from its header, before decoding', () => {
  // Only a signature and an IHDR claiming 10000×10000: decoding would fail differently.
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(10000, 0);
  ihdr.writeUInt32BE(10000, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const typed = Buffer.concat([Buffer.from('IHDR'), ihdr]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(13);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, typed, crc]);
  assertFault(write('huge.png', png), new RegExp(`10000×10000 = 100\\.0 MP, above the ${MAX_PIXELS / 1e6} MP limit`));
  // SOI, then a baseline frame header (SOF0) claiming 9000 × 8000.
  const sof = Buffer.from([
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x1f, 0x40, 0x23, 0x28, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  ]);
  assertFault(write('huge.jpg', sof), /9000×8000 = 72\.0 MP, above the/);
  assert.ok(MAX_PIXELS < 72e6);
});

test('image: a file above the size limit is refused without reading it', () => {
  const file = path.join(dir, 'huge-file.png');
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, MAX_FILE_BYTES + 1); // sparse: no real disk use
  fs.closeSync(fd);
  assertFault(file, /MB, above the 50\.0 MB limit/);
  fs.unlinkSync(file);
});

test('loadDigitInput: a real digit gives a 28×28 input in [0,1]; a blank picture is read as empty, not an error', () => {
  const { image, input } = loadDigitInput(fileOf('tinted'));
  assert.equal(image.width, 28);
  assert.equal(input.length, 784);
  assert.ok(input.every((v) => v >= 0 && v <= 1));
  assert.equal(Math.max(...input), 1);
  const white = new PNG({ width: 16, height: 16 });
  white.data.fill(255);
  const blank = loadDigitInput(write('white.png', PNG.sync.write(white)));
  assert.ok(blank.input.every((v) => v === 0));
  assert.deepEqual(blank.doubt, { kind: 'empty' });
  // A uniform brown (kraft paper without ink) is empty too, however dark: the same answer, no error.
  const kraft = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < kraft.data.length; i += 4) kraft.data.set([110, 85, 57, 255], i);
  assert.deepEqual(loadDigitInput(write('kraft.png', PNG.sync.write(kraft))).doubt, { kind: 'empty' });
});
