// Writes a few real MNIST test digits as PNG files into argv[2] and prints, as JSON, the files with
// their labels and the first labels of each split (what the UI tests compare the views against).
import { loadMnist } from '../../src/trainer/mnistLoader';
import { MNIST_PIXELS } from '../../src/shared/mnist';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { writeDigitVariants } from '../support/digitImages';
import { renderPhoto, writePhotos, writeTwoDigitPhoto } from '../support/photoImages';

const dir = process.argv[2];
if (!dir) throw new Error('usage: writeDigits.ts <folder>');
const FIRST = 200;
const TRAIN_IMAGES = 40;
// The first test digits, the ones every MNIST tutorial shows first.
const files = writeDigitVariants(dir, [0, 1, 2], ['png']);
// A phone-photo-like picture (a 7 on ruled paper, lit from one side) and one that is not one digit.
const [photo] = writePhotos(dir, [0], ['ruled']);
// A 1600×1200 JPEG (a small 7 on a page with specks): above 1024 px a side, predict decodes it
// scaled with sharp, so the installed copy shows that sharp's build in the package works.
const largePhoto = join(dir, 'photo-large.jpg');
const page = renderPhoto(0, 'small-on-page', 0);
writeFileSync(largePhoto, jpeg.encode({ data: page.rgba, width: page.width, height: page.height }, 85).data);
const twoDigits = join(dir, 'two-digits.png');
writeTwoDigitPhoto(twoDigits, 0, 1);
const mnist = loadMnist();
process.stdout.write(
  JSON.stringify({
    digits: files.map(({ file, label }) => ({ file, label })),
    photo: { file: photo.file, label: photo.label },
    largePhoto: { file: largePhoto, label: photo.label },
    twoDigits,
    labels: {
      train: Array.from(mnist.train.labels.subarray(0, FIRST)),
      test: Array.from(mnist.test.labels.subarray(0, FIRST)),
    },
    // The first training images' pixels, to compare the dataset grid's drawings with.
    trainImages: Array.from(mnist.train.images.subarray(0, TRAIN_IMAGES * MNIST_PIXELS)),
  }),
);
