// MNIST as the host serves it, without the trainer: the tree's dataset tensors, the dataset panel's
// sample pages and dataset tensors for the inspector. Loaded on first need, once per data folder.
import { MNIST_PIXELS, type MnistData, describeMnist, loadMnist } from '../shared/mnistFiles';
import type { TensorSummary } from '../shared/protocol';
import { summarizeTensor } from '../shared/stats';
import type { Split, TensorPayload } from '../shared/webviewProtocol';

export const DATASET_TENSOR_NAMES = ['train_images', 'train_labels', 'test_images', 'test_labels'] as const;

export class DatasetRangeError extends Error {}

export class DatasetStore {
  private loaded: { dir: string | null; data: MnistData; summaries: TensorSummary[] } | null = null;

  /** `dataDir()` is read on every use: the setting may change while the window is open. */
  constructor(private readonly dataDir: () => string | null) {}

  data(): MnistData {
    return this.load().data;
  }

  summaries(): TensorSummary[] {
    return this.load().summaries;
  }

  isDatasetTensor(name: string): boolean {
    return (DATASET_TENSOR_NAMES as readonly string[]).includes(name);
  }

  /** Images (copied out: a page must not drag the whole 47 MB buffer into a message) and labels. */
  samples(split: Split, start: number, count: number): { images: Uint8Array; labels: Uint8Array; count: number } {
    const part = this.data()[split];
    if (start >= part.count)
      throw new DatasetRangeError(`${split} sample ${start} is out of range 0–${part.count - 1}`);
    const n = Math.min(count, part.count - start);
    return {
      images: part.images.slice(start * MNIST_PIXELS, (start + n) * MNIST_PIXELS),
      labels: part.labels.slice(start, start + n),
      count: n,
    };
  }

  /** A dataset tensor for the inspector: an image of the rank-3 image tensors, the whole label vector. */
  tensorView(name: string, sliceIndex: number | null): TensorPayload {
    const summary = this.summaries().find((s) => s.name === name);
    if (!summary) throw new DatasetRangeError(`unknown dataset tensor "${name}"`);
    const split = this.data()[name.startsWith('train') ? 'train' : 'test'];
    if (name.endsWith('_labels')) {
      return {
        name,
        shape: summary.shape,
        dtype: summary.dtype,
        sliceIndex: null,
        values: Float32Array.from(split.labels),
        summary,
      };
    }
    const index = sliceIndex ?? 0;
    if (index >= split.count) throw new DatasetRangeError(`${name}[${index}] is out of range 0–${split.count - 1}`);
    const values = Float32Array.from(split.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS));
    return { name, shape: summary.shape, dtype: summary.dtype, sliceIndex: index, values, summary };
  }

  private load(): { dir: string | null; data: MnistData; summaries: TensorSummary[] } {
    const dir = this.dataDir();
    if (this.loaded === null || this.loaded.dir !== dir) {
      const data = loadMnist(dir);
      this.loaded = { dir, data, summaries: describeMnist(data) };
    }
    return this.loaded;
  }
}

/** A weight the trainer sent, as the inspector shows it (summary computed here from the values). */
export function weightView(name: string, shape: number[], values: Float32Array): TensorPayload {
  return {
    name,
    shape,
    dtype: 'float32',
    sliceIndex: null,
    values,
    summary: summarizeTensor(name, shape, 'float32', values),
  };
}
