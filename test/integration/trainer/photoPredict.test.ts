// Photos of handwritten digits as users take them, built here from real MNIST test digits (see
// test/support/photoImages.ts), read by the default 5-epoch model through the real decoder and
// predict path. Each family must be read ≥ 90 % right; the per-family score is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { Prediction, TrainerEvent } from '../../../src/shared/protocol';
import { Engine } from '../../../src/trainer/engine';
import { defaultModelDir } from '../../support/defaultModel';
import { PHOTO_FAMILIES, writePhotos, writeTwoDigitPhoto } from '../../support/photoImages';
import { tempDir } from '../../support/tempDir';

const PER_FAMILY = 50;
/** Test-set digits spread over the whole split (10,000 / 50 apart). */
const INDICES = Array.from({ length: PER_FAMILY }, (_, i) => i * 199 + 5);

async function loadedTrainer(): Promise<{ predict: (file: string) => Promise<Prediction> }> {
  const events: TrainerEvent[] = [];
  const trainer = new Engine((e) => events.push(e));
  await trainer.handle({ type: 'load', requestId: 0, modelDir: await defaultModelDir() });
  let id = 1;
  return {
    predict: async (file) => {
      events.length = 0;
      await trainer.handle({ type: 'predict', requestId: id++, file });
      const answer = events.find((e) => e.type === 'prediction' || e.type === 'error');
      if (answer?.type !== 'prediction')
        assert.fail(`${file}: ${answer?.type === 'error' ? answer.message : 'no answer'}`);
      return answer.prediction;
    },
  };
}

test('photos: every family of photo-like digits is read ≥ 90 % right by the default model', async (t) => {
  const { predict } = await loadedTrainer();
  const dir = tempDir('photos');
  const report: string[] = [];
  const failing: string[] = [];
  for (const family of PHOTO_FAMILIES) {
    const photos = writePhotos(dir, INDICES, [family]);
    let right = 0;
    let asPhotos = 0;
    const wrong: string[] = [];
    for (const photo of photos) {
      const prediction = await predict(photo.file);
      if (prediction.reading === 'photo') asPhotos++;
      if (prediction.digit === photo.label) right++;
      else wrong.push(`${path.basename(photo.file)}: ${photo.label}→${prediction.digit}`);
      fs.rmSync(photo.file);
    }
    const line = `${family.padEnd(14)} ${right}/${photos.length} (${((100 * right) / photos.length).toFixed(0)} %), ${asPhotos} read as photos`;
    report.push(line);
    t.diagnostic(wrong.length > 0 ? `${line}; wrong: ${wrong.join(', ')}` : line);
    if (right < 0.9 * photos.length) failing.push(`${line}; wrong: ${wrong.join(', ')}`);
  }
  console.log(`photo families, default model:\n  ${report.join('\n  ')}`);
  assert.deepEqual(failing, []);
});

test('photos: two digits side by side, or an empty page with dust, are called unsure instead of a confident digit', async () => {
  const { predict } = await loadedTrainer();
  const dir = tempDir('photos-unsure');
  // Two MNIST digits (a 7 and a 2) written next to each other on the same page.
  const pairFile = path.join(dir, 'two-digits.png');
  writeTwoDigitPhoto(pairFile, 0, 1);
  const two = await predict(pairFile);
  assert.deepEqual(two.unsure, { kind: 'severalDigits' });

  // One clean digit photo: sure, and the top 3 starts with the answer.
  const [one] = writePhotos(dir, [0], ['gradient']);
  const single = await predict(one.file);
  assert.equal(single.unsure, null);
  assert.equal(single.digit, one.label);
  assert.deepEqual(single.top3.map((r) => r.digit)[0], single.digit);
  assert.deepEqual(
    single.steps.map((s) => [s.name, s.channels]),
    [
      ['original', 4],
      ['normalised', 1],
      ['ink', 1],
      ['digit', 1],
      ['input', 1],
    ],
  );
  for (const step of single.steps) {
    assert.ok(step.width <= 96 && step.height <= 96, `${step.name} is ${step.width}×${step.height}`);
    assert.equal(step.pixels.length, step.width * step.height * step.channels);
  }
});
