// MNIST as the host serves it, without the trainer: the tree's dataset tensors, the dataset panel's
// sample pages and dataset tensors for the inspector. Read on first need, once per data folder, by
// a worker thread (dist/datasetWorker.js): 47 MB of reads and statistics never block the host.
import { Worker } from 'node:worker_threads';
import { type Neighbour, nearestImages } from '../shared/mistake';
import { type DatasetWorkerResult, MNIST_PIXELS, type MnistData } from '../shared/mnist';
import type { TensorSummary } from '../shared/protocol';
import { summarizeTensor } from '../shared/stats';
import type { Split, TensorPayload } from '../shared/webviewProtocol';

export const DATASET_TENSOR_NAMES = ['train_images', 'train_labels', 'test_images', 'test_labels'] as const;

export class DatasetRangeError extends Error {}

export interface LoadedDataset {
  dir: string | null;
  data: MnistData;
  summaries: TensorSummary[];
}

export class DatasetStore {
  private loading: { dir: string | null; promise: Promise<LoadedDataset> } | null = null;
  private ready: LoadedDataset | null = null;

  /** `dataDir()` is read on every use: the setting may change while the window is open. */
  constructor(
    private readonly dataDir: () => string | null,
    private readonly workerScript: string,
  ) {}

  /** The data of the current folder, read once; a failed read is tried again on the next call. */
  load(): Promise<LoadedDataset> {
    const dir = this.dataDir();
    if (this.loading === null || this.loading.dir !== dir) {
      const promise = readInWorker(this.workerScript, dir).then(
        (loaded) => {
          if (this.loading?.promise === promise) this.ready = loaded;
          return loaded;
        },
        (error: unknown) => {
          if (this.loading?.promise === promise) this.loading = null;
          throw error;
        },
      );
      this.loading = { dir, promise };
    }
    return this.loading.promise;
  }

  /** The current folder's data if it has been read already, for callers that must not wait. */
  current(): LoadedDataset | null {
    return this.ready !== null && this.ready.dir === this.dataDir() ? this.ready : null;
  }

  isDatasetTensor(name: string): boolean {
    return (DATASET_TENSOR_NAMES as readonly string[]).includes(name);
  }

  /** Images (copied out: a page must not drag the whole 47 MB buffer into a message) and labels. */
  async samples(
    split: Split,
    start: number,
    count: number,
  ): Promise<{ images: Uint8Array; labels: Uint8Array; count: number }> {
    const part = (await this.load()).data[split];
    if (start >= part.count)
      throw new DatasetRangeError(`${split} sample ${start} is out of range 0–${part.count - 1}`);
    const n = Math.min(count, part.count - start);
    return {
      images: part.images.slice(start * MNIST_PIXELS, (start + n) * MNIST_PIXELS),
      labels: part.labels.slice(start, start + n),
      count: n,
    };
  }

  /** The `k` training digits nearest to `image` (784 uint8 pixels), nearest first. */
  async nearest(image: Uint8Array, k: number): Promise<Neighbour[]> {
    const { train } = (await this.load()).data;
    return nearestImages(image, train.images, train.labels, k);
  }

  /** A dataset tensor for the inspector: an image of the rank-3 image tensors, the whole label vector. */
  async tensorView(name: string, sliceIndex: number | null): Promise<TensorPayload> {
    const { data, summaries } = await this.load();
    const summary = summaries.find((s) => s.name === name);
    if (!summary) throw new DatasetRangeError(`unknown dataset tensor "${name}"`);
    const split = data[name.startsWith('train') ? 'train' : 'test'];
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
}

function readInWorker(script: string, dir: string | null): Promise<LoadedDataset> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { dir } });
    let answered = false;
    worker.once('message', (result: DatasetWorkerResult) => {
      answered = true;
      if (result.type === 'loaded') resolve({ dir, data: result.data, summaries: result.summaries });
      else reject(new Error(result.message));
    });
    worker.once('error', (error) => reject(new Error(`MNIST could not be read: ${error.message}`)));
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`MNIST could not be read: the reader stopped with code ${code}`));
    });
  });
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
