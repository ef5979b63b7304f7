// The predict path decodes large JPEGs scaled (sharp); it must read what the full decode reads,
// and fail on a broken file with the same kind of one-line error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as jpeg from 'jpeg-js';
import { DataFileError } from '../../../src/shared/idx';
import { loadDigitInput, loadDigitInputScaled } from '../../../src/trainer/image';
import { renderPhoto } from '../../support/photoImages';
import { tempDir } from '../../support/tempDir';

const dir = tempDir('scaled-decode');
// A 1600×1200 page with a small real MNIST digit (test digit 3, a "0") and dust, as a phone JPEG.
const page = renderPhoto(3, 'small-on-page', 5);
const file = path.join(dir, 'page.jpg');
fs.writeFileSync(file, jpeg.encode({ data: page.rgba, width: page.width, height: page.height }, 85).data);

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    ab += v * b[i];
    aa += v * v;
    bb += b[i] * b[i];
  });
  return ab / Math.sqrt(aa * bb);
}

test('scaled decode: a large JPEG is decoded small and read like the full decode reads it', async () => {
  const scaled = await loadDigitInputScaled(file);
  const full = loadDigitInput(file);
  assert.ok(Math.max(scaled.image.width, scaled.image.height) <= 1024, `${scaled.image.width}×${scaled.image.height}`);
  assert.equal(scaled.kind, 'photo');
  assert.equal(scaled.doubt, null);
  assert.ok(cosine(scaled.input, full.input) > 0.9, `cosine ${cosine(scaled.input, full.input)}`);
});

test('scaled decode: a truncated large JPEG is one error line naming the file', async () => {
  const bytes = fs.readFileSync(file);
  const cut = path.join(dir, 'cut.jpg');
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
  await assert.rejects(loadDigitInputScaled(cut), (e: unknown) => {
    assert.ok(e instanceof DataFileError, String(e));
    assert.equal(e.file, cut);
    assert.match(e.message, /corrupt or truncated JPEG/);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
});
