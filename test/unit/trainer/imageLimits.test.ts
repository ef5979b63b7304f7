// Sizes are checked from the header before anything is allocated, and big pictures are shrunk
// before they become floats.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { DataFileError } from '../../../src/shared/idx';
import { loadImage } from '../../../src/trainer/image';
import { tempDir } from '../../support/tempDir';

const dir = tempDir('image-limits');

/** A PNG signature and an IHDR claiming width×height, nothing else: decoding would fail differently. */
function headerOnlyPng(width: number, height: number): string {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const typed = Buffer.concat([Buffer.from('IHDR'), ihdr]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  const file = path.join(dir, `claims-${width}x${height}.png`);
  fs.writeFileSync(
    file,
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, typed, crc]),
  );
  return file;
}

function assertRefused(file: string, fault: RegExp): void {
  assert.throws(
    () => loadImage(file),
    (e: unknown) => e instanceof DataFileError && e.file === file && fault.test(e.message) && !e.message.includes('\n'),
  );
}

test('image limits: a side above the limit or a sliver of an aspect ratio is refused from the header', () => {
  // Both are under the pixel limit, so only a side and an aspect check catch them before decoding.
  assertRefused(headerOnlyPng(20_000, 1_000), /20000×1000, a side above the 16384-pixel limit/);
  assertRefused(headerOnlyPng(100, 4_000), /100×4000, an aspect ratio of 40:1, above the 16:1 limit/);
});

test('image limits: a big picture is shrunk by a whole factor, block means, before it becomes floats', () => {
  // 1600×1200: left half black, right half white, one red pixel block at the top left.
  const png = new PNG({ width: 1600, height: 1200 });
  for (let y = 0; y < 1200; y++) {
    for (let x = 0; x < 1600; x++) {
      const v = x < 800 ? 0 : 255;
      png.data.set(x < 3 && y < 3 ? [255, 0, 0, 255] : [v, v, v, 255], 4 * (y * 1600 + x));
    }
  }
  const file = path.join(dir, 'big.png');
  fs.writeFileSync(file, PNG.sync.write(png));
  const image = loadImage(file);
  assert.deepEqual([image.width, image.height], [534, 400], 'shrunk by 3 (the longer side stays ≥ 512)');
  assert.deepEqual(Array.from(image.rgba.subarray(0, 4)), [1, 0, 0, 1], 'the 3×3 red block is one pixel');
  assert.equal(image.rgba[4 * (200 * 534 + 100)], 0);
  assert.equal(image.rgba[4 * (200 * 534 + 400)], 1);
});
