// MNIST as the host serves it, without the trainer: the tree's dataset tensors, the dataset panel's
// sample pages, dataset tensors for the inspector and the mistake panel's nearest training digits.
// Read on first need, once per data folder, by a worker thread (dist/datasetWorker.js) that then
// stays for the searches: 47 MB of reads and statistics and 60,000-digit searches never block the host.
import { FaultError } from '../shared/faults';
import type { Neighbour } from '../shared/mistake';
import { type DataFolder, MNIST_PIXELS, type MnistData, sameDataFolder } from '../shared/mnist';
import type { TensorSummary } from '../shared/protocol';
import { summarizeTensor } from '../shared/stats';
import type { Split, TensorPayload } from '../shared/webviewProtocol';
import { DatasetThread } from './datasetThread';
import type { IDisposable } from './dispose';

export const DATASET_TENSOR_NAMES = ['train_images', 'train_labels', 'test_images', 'test_labels'] as const;

export class DatasetRangeError extends Error {}

export interface LoadedDataset {
  folder: DataFolder;
  data: MnistData;
  summaries: TensorSummary[];
}

export class DatasetStore implements IDisposable {
  private loading: { folder: DataFolder; thread: DatasetThread; promise: Promise<LoadedDataset> } | null = null;
  private ready: LoadedDataset | null = null;
  private disposed = false;

  /**
   * `dataFolder()` is read on every use: the setting may change while the window is open, and so may
   * workspace trust (which decides whether data files may link out of the folder).
   */
  constructor(
    private readonly dataFolder: () => DataFolder,
    private readonly workerScript: string,
  ) {}

  /** The data of the current folder, read once; a failed read (or a stopped worker) is tried again on the next call. */
  async load(): Promise<LoadedDataset> {
    return this.currentThread().promise;
  }

  /**
   * The `k` training digits nearest to `image` (784 uint8 pixels), nearest first, each with its image
   * (a copy), searched off the host's thread in the same data the images come from.
   */
  async nearest(image: Uint8Array, k: number): Promise<(Neighbour & { image: Uint8Array })[]> {
    const { thread, promise } = this.currentThread();
    const { train } = (await promise).data;
    const found = await thread.nearest(image, k);
    return found.map((n) => ({
      ...n,
      image: train.images.slice(n.index * MNIST_PIXELS, (n.index + 1) * MNIST_PIXELS),
    }));
  }

  /** Ends the worker thread, for good. */
  dispose(): void {
    this.disposed = true;
    this.loading?.thread.dispose();
    this.loading = null;
  }

  /** The worker of the current folder, started when there is none (the folder changed, or the last one stopped). */
  private currentThread(): { thread: DatasetThread; promise: Promise<LoadedDataset> } {
    if (this.disposed) throw new Error('the MNIST reader was closed');
    const folder = this.dataFolder();
    if (this.loading === null || !sameDataFolder(this.loading.folder, folder)) {
      // A folder left behind: its read still answers whoever waits for it, then its thread ends.
      const left = this.loading;
      const end = () => left?.thread.dispose();
      void left?.promise.then(end, end);
      const thread = new DatasetThread(this.workerScript, folder, () => {
        if (this.loading?.thread === thread) this.loading = null;
      });
      const promise = thread.loaded.then(
        (loaded) => {
          const dataset = { folder, ...loaded };
          if (this.loading?.thread === thread) this.ready = dataset;
          return dataset;
        },
        (error: unknown) => {
          if (this.loading?.thread === thread) this.loading = null;
          thread.dispose();
          throw error;
        },
      );
      this.loading = { folder, thread, promise };
    }
    return this.loading;
  }

  /** The current folder's data if it has been read already, for callers that must not wait. */
  current(): LoadedDataset | null {
    return this.ready !== null && sameDataFolder(this.ready.folder, this.dataFolder()) ? this.ready : null;
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

  /** A dataset tensor for the inspector: an image of the rank-3 image tensors, the whole label vector. */
  async tensorPayload(name: string, sliceIndex: number | null): Promise<TensorPayload> {
    const { data, summaries } = await this.load();
    const summary = summaries.find((s) => s.name === name);
    if (!summary) throw new DatasetRangeError(`unknown dataset tensor "${name}"`);
    const split = data[name.startsWith('train') ? 'train' : 'test'];
    if (name.endsWith('_labels')) {
      return {
        ref: { source: 'tensorLens', name },
        shape: summary.shape,
        dtype: summary.dtype,
        sliceIndex: null,
        values: Float32Array.from(split.labels),
        summary,
        snapshot: null,
      };
    }
    const index = sliceIndex ?? 0;
    if (index >= split.count)
      throw new FaultError({ kind: 'datasetSliceOutOfRange', name, index, last: split.count - 1 });
    const values = Float32Array.from(split.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS));
    return {
      ref: { source: 'tensorLens', name },
      shape: summary.shape,
      dtype: summary.dtype,
      sliceIndex: index,
      values,
      summary,
      snapshot: null,
    };
  }
}

/** A tensor the inspector shows (a weight the trainer sent, the last prediction's input), with its summary computed here. */
export function tensorPayload(name: string, shape: number[], values: Float32Array): TensorPayload {
  return {
    ref: { source: 'tensorLens', name },
    shape,
    dtype: 'float32',
    sliceIndex: null,
    values,
    summary: summarizeTensor(name, shape, 'float32', values),
    snapshot: null,
  };
}
