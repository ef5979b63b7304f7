// Writes a few real MNIST test digits as PNG files into argv[2] and prints, as JSON, the files with
// their labels and the first labels of each split (what the UI tests compare the views against).
import { loadMnist } from '../../src/trainer/mnistLoader';
import { writeDigitVariants } from '../support/digitImages';

const dir = process.argv[2];
if (!dir) throw new Error('usage: writeDigits.ts <folder>');
const FIRST = 200;
// The first test digits, the ones every MNIST tutorial shows first.
const files = writeDigitVariants(dir, [0, 1, 2], ['png']);
const mnist = loadMnist();
process.stdout.write(
  JSON.stringify({
    digits: files.map(({ file, label }) => ({ file, label })),
    labels: {
      train: Array.from(mnist.train.labels.subarray(0, FIRST)),
      test: Array.from(mnist.test.labels.subarray(0, FIRST)),
    },
  }),
);
