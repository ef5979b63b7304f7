// Calibrates NOT_A_DIGIT_DISTANCE (src/shared/digitLikeness.ts) on MNIST and measures it:
//   node --import tsx scripts/calibrateDigitLikeness.ts [calibrationSamples]
// prints the percentiles of training digits' distance to their nearest other training digit (a
// spread sample), then how many of the 10,000 test digits the current threshold flags.
import { loadMnist } from '../src/trainer/mnistLoader';
import { MNIST_PIXELS } from '../src/shared/mnist';
import {
  LIKENESS_PIXELS,
  NOT_A_DIGIT_DISTANCE,
  likenessReference,
  nearestDistance,
  reduceForLikeness,
} from '../src/shared/digitLikeness';

const samples = Number(process.argv[2] ?? 2000);
const mnist = loadMnist();
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
let flagged = 0;
for (let n = 0; n < mnist.test.count; n++) {
  const query = reduceForLikeness(mnist.test.images.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS), 255);
  if (nearestDistance(query, reference, NOT_A_DIGIT_DISTANCE) > NOT_A_DIGIT_DISTANCE) flagged++;
}
console.log(
  `threshold ${NOT_A_DIGIT_DISTANCE}: ${flagged} of ${mnist.test.count} test digits flagged (${((100 * flagged) / mnist.test.count).toFixed(2)} %)`,
);
