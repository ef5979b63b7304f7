// Photos of handwritten digits as users take them, built here from real MNIST test digits (see
// test/support/photoImages.ts), read by the default 5-epoch model through the real decoder and
// predict path. Each family must be read ≥ 90 % right; the per-family score is printed. Pictures
// that are not one digit must be called unsure, with a true reason.
import { describeFault } from '../../../src/shared/faults';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { Prediction, TrainerEvent } from '../../../src/shared/protocol';
import { Engine } from '../../../src/trainer/engine';
import { defaultModelDir } from '../../support/defaultModel';
import {
  NOT_A_DIGIT_KINDS,
  type NotADigitKind,
  PAPER_FAMILIES,
  PHOTO_FAMILIES,
  writeNotADigits,
  writePhotos,
  writeTwoDigitPhoto,
} from '../../support/photoImages';
import { tempDir } from '../../support/tempDir';
import { writeDigitVariants } from '../../support/digitImages';

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
        assert.fail(`${file}: ${answer?.type === 'error' ? describeFault(answer.fault) : 'no answer'}`);
      return answer.prediction;
    },
  };
}

test('photos: every family of photo-like digits is read ≥ 90 % right by the default model', async (t) => {
  const { predict } = await loadedTrainer();
  const dir = tempDir('photos');
  const report: string[] = [];
  const failing: string[] = [];
  for (const family of [...PHOTO_FAMILIES, ...PAPER_FAMILIES]) {
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

/**
 * Real digits called unsure, for any reason (issue 23's budget: ≤ 2 %). Measured on all 10,000 MNIST
 * test digits with the default model by `node --import tsx scripts/calibrateDigitLikeness.ts`:
 * 198 (1.98 %) with NOT_A_DIGIT_DISTANCE 2.8 and UNSURE_BELOW 0.6; 263 with the distance at 2.64.
 */
const MNIST_UNSURE_AT_MOST = 198;

test('photos: real MNIST test digits saved as PNGs are called unsure in at most 2 % of the 10,000', async () => {
  const { predict } = await loadedTrainer();
  const dir = tempDir('mnist-unsure');
  const reasons = new Map<string, number>();
  let unsure = 0;
  for (let start = 0; start < 10_000; start += 500) {
    const indices = Array.from({ length: 500 }, (_, i) => start + i);
    for (const digit of writeDigitVariants(dir, indices, ['png'])) {
      const prediction = await predict(digit.file);
      if (prediction.unsure !== null) {
        unsure++;
        reasons.set(prediction.unsure.kind, (reasons.get(prediction.unsure.kind) ?? 0) + 1);
      }
      fs.rmSync(digit.file);
    }
  }
  const line = `${unsure} of 10,000 unsure (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})`;
  console.log(`MNIST test digits, default model: ${line}`);
  assert.ok(unsure <= MNIST_UNSURE_AT_MOST, line);
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

/**
 * The share of each kind that must be called unsure. The target (issue 23) is 90 %; single marks
 * that are not digits fall short of it today: a letter, a symbol or a tangle is often within the
 * calibrated distance of some training digit and read with high probability. Two rules catch
 * more: the strong strokes small in a box of faint marks kept with them (smallInk: half of these
 * pictures, 1 of the 10,000 MNIST test digits), and holes, stroke ends and forks that no training
 * digit of the class read has (notADigitShape: X's, which no digit is shaped like; an A has the
 * shape of a 4 with a closed top, a tangle often that of a bent line). Measured: X 46/50, A 25/50,
 * printed A M T % & 36/50, tangles 31/50 (before both rules 19, 8, 23, 21; with the shape rule
 * alone 30, 8, 23, 22; with NOT_A_DIGIT_DISTANCE at 2.64, which called 2.63 % of real digits
 * unsure, 47, 26, 36, 34). Each floor sits a picture below what is reached, so losing ground fails
 * here; raising the last three to 90 % is the open part of the issue.
 */
const UNSURE_AT_LEAST: Record<NotADigitKind, number> = {
  'letter-x': 0.9,
  'letter-a': 0.48,
  printed: 0.7,
  tangle: 0.6,
  blank: 1,
  noise: 1,
  'two-digits': 0.9,
  year: 0.9,
};
/** The reason each kind must be given (when unsure for a reason of the picture, not a low probability). */
const REASON: Partial<Record<NotADigitKind, string>> = {
  blank: 'empty',
  noise: 'notADigit',
  'two-digits': 'severalDigits',
  year: 'severalDigits',
};

test('photos: pictures that are not one digit (letters, symbols, tangles, blank pages, noise, several digits) are unsure, for a true reason', async (t) => {
  const { predict } = await loadedTrainer();
  const dir = tempDir('not-a-digit');
  const report: string[] = [];
  const failing: string[] = [];
  for (const kind of NOT_A_DIGIT_KINDS) {
    const files = writeNotADigits(dir, PER_FAMILY, [kind]);
    let unsure = 0;
    const reasons = new Map<string, number>();
    const confident: string[] = [];
    for (const f of files) {
      const prediction = await predict(f.file);
      const reason = prediction.unsure?.kind ?? 'sure';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      if (prediction.unsure !== null) unsure++;
      else confident.push(`${path.basename(f.file)}→${prediction.digit}`);
      const expected = REASON[kind];
      if (expected !== undefined && reason !== 'lowProbability' && reason !== 'sure' && reason !== expected)
        failing.push(`${path.basename(f.file)}: unsure because ${reason}, not ${expected}`);
      fs.rmSync(f.file);
    }
    const line = `${kind.padEnd(12)} unsure ${unsure}/${files.length} (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})`;
    report.push(line);
    t.diagnostic(confident.length > 0 ? `${line}; read as a digit: ${confident.join(', ')}` : line);
    if (unsure < UNSURE_AT_LEAST[kind] * files.length) failing.push(line);
  }
  console.log(`not a digit, default model:\n  ${report.join('\n  ')}`);
  assert.deepEqual(failing, []);
});

test('photos: the steps strip shows the paper found on a desk and the fold lines taken out', async () => {
  const { predict } = await loadedTrainer();
  const dir = tempDir('photos-steps');
  const [note] = writePhotos(dir, [5], ['note-on-desk']);
  const onDesk = await predict(note.file);
  assert.equal(onDesk.digit, note.label);
  assert.deepEqual(
    onDesk.steps.map((s) => s.name),
    ['original', 'paper', 'normalised', 'ink', 'digit', 'input'],
  );
  const [creased] = writePhotos(dir, [5], ['creased']);
  const folded = await predict(creased.file);
  assert.equal(folded.digit, creased.label);
  assert.deepEqual(
    folded.steps.map((s) => s.name),
    ['original', 'normalised', 'ink', 'lines', 'digit', 'input'],
  );
});
