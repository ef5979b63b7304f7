// Calibrates the "does not look like a digit" rules on MNIST and measures them:
//   node --import tsx scripts/calibrateDigitLikeness.ts [calibrationSamples] [--model <dir>] [--write-shapes]
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
import { MIN_INK_SPAN, UNSEEN_SHAPE_AT_MOST, inputInkSpan, inputShape, shapeKey } from '../src/shared/digitShape';
import { type DenseWeightValues, denseForward } from '../src/shared/denseForward';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const modelDir = option('--model');
const writeShapes = args.includes('--write-shapes');
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
