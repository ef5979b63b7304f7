// Calibrates the "does not look like a digit" rules on MNIST and measures them:
//   node --import tsx scripts/calibrateDigitLikeness.ts [calibrationSamples] [--model <dir>] [--write-shapes] [--photos]
// 1. NOT_A_DIGIT_DISTANCE (src/shared/digitLikeness.ts): the percentiles of training digits' distance
//    to their nearest other training digit (a spread sample), then how many of the 10,000 test digits
//    the current threshold flags.
// 2. TRAINING_SHAPES (src/shared/digitShapeTable.ts, rewritten with --write-shapes; prettier it after): how many of each
//    class's training digits have each shape (holes, ends, junctions); then how many test digits
//    have a shape that at most UNSEEN_SHAPE_AT_MOST (and a few other counts) training digits of the
//    class the model reads have, alone and together with rule 1. The class is the model's answer
//    with --model (the default 5-epoch model is the one the thresholds are set for), else the label.
// 3. MIN_INK_SPAN (src/shared/digitShape.ts): how many training and test digits' strong ink spans
//    less than a few lengths; then all three rules together on the test digits.
// 4. Everything a user sees as unsure: each of the 10,000 test digits saved as a PNG and predicted by
//    the trainer (the model in --model, else the default 5-epoch model of test/support/defaultModel.ts),
//    by reason, the low top probability (UNSURE_BELOW, src/shared/verdict.ts) included; then the total
//    with other NOT_A_DIGIT_DISTANCE and UNSURE_BELOW values, and how many of the answers no longer
//    called unsure are right.
//    With --photos, the same for the pictures of test/integration/trainer/photoPredict.test.ts (the
//    same 50 per kind): how many of each kind are unsure at each value.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMnist } from '../src/trainer/mnistLoader';
import { MNIST_CLASSES, MNIST_PIXELS } from '../src/shared/mnist';
import {
  LIKENESS_PIXELS,
  NOT_A_DIGIT_DISTANCE,
  likenessReference,
  nearestDistance,
  reduceForLikeness,
} from '../src/shared/digitLikeness';
import {
  MIN_INK_SPAN,
  UNSEEN_SHAPE_AT_MOST,
  inputInkSpan,
  inputShape,
  shapeKey,
  unseenShape,
} from '../src/shared/digitShape';
import { type DenseWeightValues, denseForward } from '../src/shared/denseForward';
import type { Prediction, TrainerEvent } from '../src/shared/protocol';
import { UNSURE_BELOW } from '../src/shared/verdict';
import { describeFault } from '../src/shared/faults';
import { Engine } from '../src/trainer/engine';
import { defaultModelDir } from '../test/support/defaultModel';
import { writeDigitVariants } from '../test/support/digitImages';
import {
  NOT_A_DIGIT_KINDS,
  PAPER_FAMILIES,
  PHOTO_FAMILIES,
  writeNotADigits,
  writePhotos,
} from '../test/support/photoImages';
import { tempDir } from '../test/support/tempDir';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const modelDir = option('--model');
const writeShapes = args.includes('--write-shapes');
const withPhotos = args.includes('--photos');
const samples = Number(args.find((a) => !a.startsWith('--')) ?? 2000);
const mnist = loadMnist();

// 1. Distance to the nearest training digit.
const reference = likenessReference(mnist.train.images);
const step = Math.floor(mnist.train.count / samples);
const distances: number[] = [];
for (let k = 0; k < samples; k++) {
  const n = k * step;
  distances.push(
    nearestDistance(
      Float32Array.from(reference.subarray(n * LIKENESS_PIXELS, (n + 1) * LIKENESS_PIXELS), (v) => v / 255),
      reference,
      0,
      n,
    ),
  );
}
distances.sort((a, b) => a - b);
for (const p of [0.5, 0.9, 0.95, 0.98, 0.985, 0.99])
  console.log(
    `training, leave one out: ${(100 * p).toFixed(1)}th percentile ${distances[Math.floor(p * (samples - 1))].toFixed(3)}`,
  );
console.log(
  `training, leave one out: ${((100 * distances.filter((d) => d <= NOT_A_DIGIT_DISTANCE).length) / samples).toFixed(1)} % within NOT_A_DIGIT_DISTANCE ${NOT_A_DIGIT_DISTANCE}`,
);
const far: boolean[] = [];
for (let n = 0; n < mnist.test.count; n++) {
  const query = reduceForLikeness(mnist.test.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS), 255);
  far.push(nearestDistance(query, reference, NOT_A_DIGIT_DISTANCE) > NOT_A_DIGIT_DISTANCE);
}
const percent = (n: number): string =>
  `${n} of ${mnist.test.count} test digits (${((100 * n) / mnist.test.count).toFixed(2)} %)`;
console.log(`distance > ${NOT_A_DIGIT_DISTANCE}: ${percent(far.filter(Boolean).length)} flagged`);

// 2. Shapes per class.
const table: Record<string, number>[] = Array.from({ length: MNIST_CLASSES }, () => ({}));
for (let n = 0; n < mnist.train.count; n++) {
  const key = shapeKey(inputShape(mnist.train.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS), 255));
  const counts = table[mnist.train.labels[n]];
  counts[key] = (counts[key] ?? 0) + 1;
}
console.log(`training shapes per class: ${table.map((t) => Object.keys(t).length).join(', ')}`);
if (writeShapes) writeShapeTable(table);
const weights = modelDir === undefined ? null : denseWeights(modelDir);
const classes: number[] = [];
const shapes: string[] = [];
for (let n = 0; n < mnist.test.count; n++) {
  const image = mnist.test.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS);
  shapes.push(shapeKey(inputShape(image, 255)));
  classes.push(
    weights === null
      ? mnist.test.labels[n]
      : denseForward(
          Float32Array.from(image, (v) => v / 255),
          weights,
        ).digit,
  );
}
console.log(`shape rule, class from ${weights === null ? 'the labels' : `the model in ${modelDir}`}:`);
for (const atMost of [0, 1, 2, 3]) {
  const unseen = shapes.map((key, n) => (table[classes[n]][key] ?? 0) <= atMost);
  const either = unseen.filter((u, n) => u || far[n]).length;
  console.log(
    `  shapes ≤ ${atMost} training digits of the class have${atMost === UNSEEN_SHAPE_AT_MOST ? ' (UNSEEN_SHAPE_AT_MOST)' : ''}: ${percent(unseen.filter(Boolean).length)} flagged; with the distance rule ${percent(either)}`,
  );
}

// 3. The strong ink's span.
const spans = (split: typeof mnist.train): number[] =>
  Array.from({ length: split.count }, (_, n) =>
    inputInkSpan(split.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS), 255),
  );
const [trainSpans, testSpans] = [spans(mnist.train), spans(mnist.test)];
for (const below of [15, 16, 17, 18, 19])
  console.log(
    `strong ink spans < ${below}${below === MIN_INK_SPAN ? ' (MIN_INK_SPAN)' : ''}: ${trainSpans.filter((s) => s < below).length} of ${mnist.train.count} training digits, ${percent(testSpans.filter((s) => s < below).length)}`,
  );
const flaggedByAny = shapes.filter(
  (key, n) =>
    far[n] ||
    (table[classes[n]][key] ?? 0) <= UNSEEN_SHAPE_AT_MOST ||
    (testSpans[n] > 0 && testSpans[n] < MIN_INK_SPAN),
).length;
console.log(`all three rules (distance, shape, span): ${percent(flaggedByAny)} flagged`);

// 4. Everything a user sees as unsure, through the trainer's own predict.
/** Top-probability thresholds to compare with UNSURE_BELOW. */
const THRESHOLDS = [0.6, 0.55, 0.5, 0.45, 0.4];
/** Distance thresholds to compare with NOT_A_DIGIT_DISTANCE. */
const DISTANCES = [2.64, 2.7, 2.75, 2.8, 2.9, 3];
const strictest = { d: Math.min(...DISTANCES), t: Math.max(...THRESHOLDS) };
/**
 * An answer as the trainer gave it, with what is needed to redo its verdict at other thresholds: a
 * doubt of the picture itself (empty, several marks, too many marks, strong strokes too small, noise),
 * the input's distance to the nearest training digit, whether its shape is unseen, the top probability.
 */
interface Answer {
  reason: string;
  pictureDoubt: boolean;
  distance: number;
  unseen: boolean;
  top: number;
  digit: number;
}
const PICTURE_REASONS = new Set(['empty', 'severalDigits', 'tooManyMarks', 'smallInk']);
/** Unsure with distance threshold d and top-probability threshold t, as engine.ts predict decides. */
const unsureAt = (a: Answer, d: number, t: number): boolean =>
  a.pictureDoubt || a.distance > d || a.unseen || a.top < t;

void (async () => {
  const events: TrainerEvent[] = [];
  const engine = new Engine((e) => events.push(e));
  const dir = modelDir ?? (await defaultModelDir());
  await engine.handle({ type: 'load', requestId: 0, modelDir: dir });
  let requestId = 1;
  const answer = async (file: string): Promise<Answer> => {
    events.length = 0;
    await engine.handle({ type: 'predict', requestId: requestId++, file });
    const event = events.find((e) => e.type === 'prediction' || e.type === 'error');
    if (event?.type !== 'prediction')
      throw new Error(`${file}: ${event?.type === 'error' ? describeFault(event.fault) : 'no answer'}`);
    const p: Prediction = event.prediction;
    fs.rmSync(file);
    const reason = p.unsure?.kind ?? 'sure';
    const input = Float32Array.from(p.input);
    // Exact up to the smallest threshold tried; beyond it, only "farther than all of them" matters.
    const distance = nearestDistance(reduceForLikeness(input), reference, Math.min(...DISTANCES));
    return {
      reason,
      // 'notADigit' within the distance threshold is the photo steps' noise test, a doubt of the picture.
      pictureDoubt: PICTURE_REASONS.has(reason) || (reason === 'notADigit' && distance <= NOT_A_DIGIT_DISTANCE),
      distance,
      unseen: unseenShape(input, p.digit) !== null,
      top: p.top3[0]?.probability ?? 0,
      digit: p.digit,
    };
  };
  const work = tempDir('calibrate');
  const digits: Answer[] = [];
  for (let start = 0; start < mnist.test.count; start += 500) {
    const indices = Array.from({ length: Math.min(500, mnist.test.count - start) }, (_, i) => start + i);
    for (const f of writeDigitVariants(work, indices, ['png'])) digits.push(await answer(f.file));
  }
  const byReason = new Map<string, number>();
  for (const a of digits) byReason.set(a.reason, (byReason.get(a.reason) ?? 0) + 1);
  console.log(`test digits as PNGs, predicted by the model in ${dir}:`);
  for (const [reason, n] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`  ${reason}: ${percent(n)}`);
  const now = digits.filter((a) => unsureAt(a, NOT_A_DIGIT_DISTANCE, UNSURE_BELOW)).length;
  console.log(`  unsure in total: ${percent(now)} (by the reasons: ${mnist.test.count - (byReason.get('sure') ?? 0)})`);
  console.log(
    `unsure in total with distance threshold d (NOT_A_DIGIT_DISTANCE ${NOT_A_DIGIT_DISTANCE}) and top probability below t (UNSURE_BELOW ${UNSURE_BELOW}); (right of those answered that are unsure at the strictest, d ${strictest.d} and t ${strictest.t}):`,
  );
  for (const d of DISTANCES)
    console.log(
      `  d ${d.toFixed(2)}: ${THRESHOLDS.map((t) => {
        const freed = digits
          .map((a, n) => ({ a, n }))
          .filter(({ a }) => unsureAt(a, strictest.d, strictest.t) && !unsureAt(a, d, t));
        const right = freed.filter(({ a, n }) => a.digit === mnist.test.labels[n]).length;
        return `t ${t} ${digits.filter((a) => unsureAt(a, d, t)).length} (${right}/${freed.length})`;
      }).join(', ')}`,
    );
  if (!withPhotos) return;
  // The same pictures as photoPredict.test.ts: 50 test digits spread over the split, 50 of each non-digit kind.
  const indices = Array.from({ length: 50 }, (_, i) => i * 199 + 5);
  const grid = (name: string, answers: Answer[]): void => {
    console.log(`  ${name}`);
    for (const d of DISTANCES)
      console.log(
        `    d ${d.toFixed(2)}: ${THRESHOLDS.map((t) => `t ${t} ${answers.filter((a) => unsureAt(a, d, t)).length}`).join(', ')}`,
      );
  };
  console.log(`photos (50 each), unsure with distance threshold d and top probability below t:`);
  const digitPhotos: Answer[] = [];
  let right = 0;
  for (const family of [...PHOTO_FAMILIES, ...PAPER_FAMILIES])
    for (const photo of writePhotos(work, indices, [family])) {
      const a = await answer(photo.file);
      digitPhotos.push(a);
      if (a.digit === photo.label) right++;
    }
  grid(`the ${digitPhotos.length} digit photos of every family (read right: ${right}, at any threshold)`, digitPhotos);
  for (const kind of NOT_A_DIGIT_KINDS) {
    const answers: Answer[] = [];
    for (const picture of writeNotADigits(work, 50, [kind])) answers.push(await answer(picture.file));
    grid(kind, answers);
  }
})().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

/** The first two dense layers of a saved tfjs model (the book's network), from its weight files. */
function denseWeights(dir: string): DenseWeightValues {
  const manifest = (
    JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
    }
  ).weightsManifest;
  const bytes = Buffer.concat(manifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  let offset = 0;
  const [kernel1, bias1, kernel2, bias2] = manifest
    .flatMap((group) => group.weights)
    .map((w) => values.slice(offset, (offset += w.shape.reduce((a, b) => a * b, 1))));
  return { kernel1, bias1, kernel2, bias2 };
}

function writeShapeTable(counts: Record<string, number>[]): void {
  const file = path.join(__dirname, '..', 'src', 'shared', 'digitShapeTable.ts');
  const rows = counts.map(
    (c, digit) =>
      `  // ${digit}\n  { ${Object.entries(c)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `'${k}': ${n}`)
        .join(', ')} },`,
  );
  fs.writeFileSync(
    file,
    `// How many of MNIST's 60,000 training digits of each class have each shape (holes, skeleton ends,
// junctions: src/shared/digitShape.ts), e.g. '2h0e1j'. Written by
//   node --import tsx scripts/calibrateDigitLikeness.ts --write-shapes

export const TRAINING_SHAPES: readonly Readonly<Record<string, number>>[] = [
${rows.join('\n')}
];
`,
  );
  console.log(`wrote ${file}`);
}
