// The training data as fastFit takes it (float pixels and labels, in shared memory so the fused
// trainer's worker threads read it without copies), its checks, the epochs' sample orders, and the
// staging of a batch's samples into tensors, which both training paths use.
import * as tf from '@tensorflow/tfjs';
import { MNIST_CLASSES, MNIST_PIXELS } from '../shared/mnist';
import { seededRandom } from '../shared/random';
import type { BatchLabels } from './denseMath';

export interface FitData {
  /** count × 784 pixels in [0, 1], row-major. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** Converts `count` MNIST images from `start` (uint8 pixels) to fastFit's float input. */
export function toFitData(images: Uint8Array, labels: Uint8Array, start: number, count: number): FitData {
  const pixels = images.subarray(start * MNIST_PIXELS, (start + count) * MNIST_PIXELS);
  if (pixels.length !== count * MNIST_PIXELS || start + count > labels.length) {
    throw new RangeError(
      `toFitData: samples ${start}..${start + count} are outside the ${labels.length} samples given`,
    );
  }
  // Shared memory, so the fused trainer's worker threads read the data without copies.
  const floats = new Float32Array(new SharedArrayBuffer(pixels.length * 4));
  for (let i = 0; i < pixels.length; i++) floats[i] = pixels[i] / 255;
  const shared = new Uint8Array(new SharedArrayBuffer(count));
  shared.set(labels.subarray(start, start + count));
  return { images: floats, labels: shared, count };
}

export function checkFitData(data: FitData, what: string): void {
  if (!Number.isInteger(data.count) || data.count < 1)
    throw new Error(`fastFit: ${what} count must be a positive integer, got ${data.count}`);
  if (data.images.length !== data.count * MNIST_PIXELS) {
    throw new Error(
      `fastFit: ${what} images hold ${data.images.length} values, expected ${data.count} × ${MNIST_PIXELS}`,
    );
  }
  if (data.labels.length < data.count)
    throw new Error(`fastFit: ${what} has ${data.labels.length} labels for ${data.count} images`);
  for (let i = 0; i < data.count; i++) {
    if (data.labels[i] >= MNIST_CLASSES)
      throw new Error(`fastFit: ${what} label ${i} is ${data.labels[i]}, not a digit 0-9`);
  }
}

/** The sample order of every epoch (Keras shuffles before each epoch); deterministic per seed. */
export function epochOrders(count: number, seed: number): () => Uint32Array {
  const random = seededRandom(seed);
  return () => {
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  };
}

/** The tensors of one batch (or shard): images, labels and one-hot labels. */
export interface BatchTensors extends BatchLabels {
  x: tf.Tensor2D;
}

/** Copies samples out of the dataset in the epoch's order, into reused buffers. */
export class BatchStager {
  private readonly x: Float32Array;
  private readonly oneHot: Float32Array;
  private readonly labels: Int32Array;

  constructor(private readonly capacity: number) {
    this.x = new Float32Array(capacity * MNIST_PIXELS);
    this.oneHot = new Float32Array(capacity * MNIST_CLASSES);
    this.labels = new Int32Array(capacity);
  }

  /** Tensors for samples order[from, from + n): the caller disposes them (tf.tidy). */
  tensors(data: FitData, order: Uint32Array, from: number, n: number): BatchTensors {
    const { x, oneHot, labels } = this;
    oneHot.fill(0, 0, n * MNIST_CLASSES);
    for (let r = 0; r < n; r++) {
      const sample = order[from + r];
      x.set(data.images.subarray(sample * MNIST_PIXELS, (sample + 1) * MNIST_PIXELS), r * MNIST_PIXELS);
      labels[r] = data.labels[sample];
      oneHot[r * MNIST_CLASSES + data.labels[sample]] = 1;
    }
    const full = n === this.capacity;
    return {
      x: tf.tensor2d(full ? x : x.subarray(0, n * MNIST_PIXELS), [n, MNIST_PIXELS]),
      oneHot: tf.tensor2d(full ? oneHot : oneHot.subarray(0, n * MNIST_CLASSES), [n, MNIST_CLASSES]),
      labels: tf.tensor1d(full ? labels : labels.subarray(0, n), 'int32'),
    };
  }
}
