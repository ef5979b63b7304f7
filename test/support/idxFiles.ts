// Builds IDX files (and small MNIST folders cut from the real data) for the loader's tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist } from '../../src/trainer/mnistLoader';

/** IDX bytes: 00 00 type rank, big-endian dims, then the data. */
export function idxBytes(dims: number[], data: Uint8Array, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

export const MNIST_FILE_NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;
export type MnistFileName = (typeof MNIST_FILE_NAMES)[number];

/**
 * A small MNIST folder made of the first `trainCount`/`testCount` real samples. `override` replaces
 * a file's bytes (to inject a fault); `gzip` writes the named files as `<name>.gz` instead.
 */
export function writeMnistSubset(
  dir: string,
  options: {
    trainCount?: number;
    testCount?: number;
    override?: Partial<Record<MnistFileName, Uint8Array>>;
    gzip?: MnistFileName[];
    rename?: Partial<Record<MnistFileName, string>>;
  } = {},
): Record<MnistFileName, Uint8Array> {
  const { trainCount = 100, testCount = 50 } = options;
  const real = loadMnist();
  const files: Record<MnistFileName, Uint8Array> = {
    'train-images-idx3-ubyte': idxBytes([trainCount, 28, 28], real.train.images.subarray(0, trainCount * 784)),
    'train-labels-idx1-ubyte': idxBytes([trainCount], real.train.labels.subarray(0, trainCount)),
    't10k-images-idx3-ubyte': idxBytes([testCount, 28, 28], real.test.images.subarray(0, testCount * 784)),
    't10k-labels-idx1-ubyte': idxBytes([testCount], real.test.labels.subarray(0, testCount)),
    ...options.override,
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const name of MNIST_FILE_NAMES) {
    const gz = options.gzip?.includes(name) ?? false;
    const fileName = (options.rename?.[name] ?? name) + (gz ? '.gz' : '');
    fs.writeFileSync(path.join(dir, fileName), gz ? gzipSync(files[name]) : files[name]);
  }
  return files;
}
