// One training step of the book's Dense(h, relu) → Dense(10, softmax) model for the fused
// trainer: the gradients of a batch (or of a shard of it) computed from flat parameters and
// written into a flat array, with the batch's loss and accuracy sums. Every matMul is a plain one
// (the wasm backend's transposeA is 20× slower): the first layer's kernel is kept transposed
// (W1ᵀ, hidden × 784), so its forward pass is W1ᵀ·xᵀ and its gradient dZᵀ·x comes out in that layout.
import * as tf from '@tensorflow/tfjs';
import { logitGradient, lossSums } from '../denseMath';
import type { DenseVariables } from '../denseWeights';
import type { BatchTensors } from '../fitData';
import type { StepClock } from '../stepClock';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../shared/mnist';

/** Where each weight sits in the flat parameter array (offsets in floats); `size` is padded to 4. */
export interface DenseLayout {
  hidden: number;
  w1T: number;
  b1: number;
  w2: number;
  b2: number;
  size: number;
}

export function denseLayout(hidden: number): DenseLayout {
  const b1 = hidden * MNIST_PIXELS;
  const w2 = b1 + hidden;
  const b2 = w2 + hidden * MNIST_CLASSES;
  return { hidden, w1T: 0, b1, w2, b2, size: Math.ceil((b2 + MNIST_CLASSES) / 4) * 4 };
}

/** Copies the model's weights into `params` (W1 transposed). */
export async function readParams(variables: DenseVariables, layout: DenseLayout, params: Float32Array): Promise<void> {
  const [w1, b1, w2, b2] = variables;
  const w1T = tf.tidy(() => tf.transpose(w1.read()));
  const values = await Promise.all(
    [w1T, b1.read(), w2.read(), b2.read()].map((t) => t.data() as Promise<Float32Array>),
  );
  w1T.dispose();
  [layout.w1T, layout.b1, layout.w2, layout.b2].forEach((offset, i) => params.set(values[i], offset));
}

/**
 * `params` (or a gradient array in the same layout) as tensors in the model's shapes: kernel, bias,
 * kernel, bias. From copies: native TensorFlow keeps the array it is given until an op first reads
 * it, so a view would follow the parameters' later updates.
 */
export function paramTensors(params: Float32Array, layout: DenseLayout): tf.Tensor[] {
  const { hidden } = layout;
  return tf.tidy(() => [
    tf.transpose(tf.tensor2d(params.slice(layout.w1T, layout.b1), [hidden, MNIST_PIXELS])),
    tf.tensor1d(params.slice(layout.b1, layout.w2)),
    tf.tensor2d(params.slice(layout.w2, layout.b2), [hidden, MNIST_CLASSES]),
    tf.tensor1d(params.slice(layout.b2, layout.b2 + MNIST_CLASSES)),
  ]);
}

/** Makes the model's variables hold `params`: new tensors, so cached packings of the old ones are never reused. */
export function writeParams(params: Float32Array, layout: DenseLayout, variables: DenseVariables): void {
  const values = paramTensors(params, layout);
  variables.forEach((variable, i) => variable.write(values[i]));
  tf.dispose(values);
}

/** A float32 tensor's memory on the wasm backend, as a view: valid until the heap grows, so use it at once. */
function heapView(tensor: tf.Tensor): Float32Array {
  return (tf.backend() as unknown as { typedArrayFromHeap(t: tf.Tensor): Float32Array }).typedArrayFromHeap(tensor);
}

/** Backends whose tensors are views of the wasm heap, writable in place. */
const onWasm = () => tf.getBackend() === 'wasm';

/** A float32 tensor's values: a view of the heap on wasm (use it at once), a copy elsewhere. */
function valuesOf(tensor: tf.Tensor): Float32Array {
  if (onWasm()) return heapView(tensor);
  // Native TensorFlow runs each op before returning it, so this read waits for nothing: it copies.
  // eslint-disable-next-line no-restricted-syntax
  return tensor.dataSync() as Float32Array;
}

/**
 * The weights as tensors of this thread's backend, loaded from the flat parameters before each
 * step. On wasm they are made once and overwritten in place (no allocation, no transposes but
 * W2ᵀ's 5,120 floats); in place is safe because none of them is ever a matMul's second operand,
 * the one that backend caches a packed copy of. Elsewhere (native TensorFlow) each load makes new
 * tensors from copies of the parameters, which the update changes while the backend may still
 * hold the arrays it was given (see paramTensors).
 */
export class DeviceWeights {
  w1T: tf.Tensor2D;
  b1: tf.Tensor2D;
  w2: tf.Tensor2D;
  w2T: tf.Tensor2D;
  b2: tf.Tensor1D;
  private readonly inPlace = onWasm();

  constructor(private readonly layout: DenseLayout) {
    const { hidden } = layout;
    this.w1T = tf.zeros([hidden, MNIST_PIXELS]);
    this.b1 = tf.zeros([hidden, 1]);
    this.w2 = tf.zeros([hidden, MNIST_CLASSES]);
    this.w2T = tf.zeros([MNIST_CLASSES, hidden]);
    this.b2 = tf.zeros([MNIST_CLASSES]);
  }

  load(params: Float32Array): void {
    const { layout } = this;
    const { hidden } = layout;
    if (!this.inPlace) {
      this.dispose();
      this.w1T = tf.tensor2d(params.slice(layout.w1T, layout.b1), [hidden, MNIST_PIXELS]);
      this.b1 = tf.tensor2d(params.slice(layout.b1, layout.w2), [hidden, 1]);
      this.w2 = tf.tensor2d(params.slice(layout.w2, layout.b2), [hidden, MNIST_CLASSES]);
      this.w2T = tf.transpose(this.w2);
      this.b2 = tf.tensor1d(params.slice(layout.b2, layout.b2 + MNIST_CLASSES));
      return;
    }
    heapView(this.w1T).set(params.subarray(layout.w1T, layout.b1));
    heapView(this.b1).set(params.subarray(layout.b1, layout.w2));
    heapView(this.w2).set(params.subarray(layout.w2, layout.b2));
    heapView(this.b2).set(params.subarray(layout.b2, layout.b2 + MNIST_CLASSES));
    const w2T = heapView(this.w2T);
    for (let h = 0; h < hidden; h++) {
      for (let c = 0; c < MNIST_CLASSES; c++) w2T[c * hidden + h] = params[layout.w2 + h * MNIST_CLASSES + c];
    }
  }

  dispose(): void {
    tf.dispose([this.w1T, this.b1, this.w2, this.w2T, this.b2]);
  }
}

/**
 * Writes the gradients of the mean loss over a whole batch of `batchSize` samples, restricted to
 * this shard's samples, into `gradients` (summing the shards' gradients gives the batch's), and
 * returns the shard's [loss sum, correct count] (the loss and its gradient: denseMath.ts).
 */
export function shardGradients(
  batch: BatchTensors,
  batchSize: number,
  weights: DeviceWeights,
  layout: DenseLayout,
  epsilon: number,
  gradients: Float32Array,
  clock?: StepClock,
): [number, number] {
  const { w1T, b1, w2, w2T, b2 } = weights;
  clock?.lap('stage');
  const out = tf.tidy(() => {
    // The backend transposes ~10× faster than a strided copy in JavaScript (measured).
    const xT = tf.transpose(batch.x);
    clock?.lap('stage');
    const zT = tf.matMul(w1T, xT);
    clock?.lap('matMul');
    const hT = tf.relu(tf.add(zT, b1));
    clock?.lap('backprop elementwise');
    const logitsT = tf.matMul(w2T, hT);
    clock?.lap('matMul');
    const logits = tf.add(tf.transpose(logitsT), b2);
    const probs = tf.softmax(logits);
    const { sums, trueProb } = lossSums(logits, probs, batch, epsilon);
    // The mean over the whole batch: summing the shards' gradients gives the batch's.
    const dLogits = logitGradient(probs, trueProb, batch, epsilon, batchSize);
    clock?.lap('softmax/loss');
    const dW2 = tf.matMul(hT, dLogits);
    const dHT = tf.matMul(w2, tf.transpose(dLogits));
    clock?.lap('matMul');
    // relu'(z) = step(z), and h > 0 exactly where z > 0.
    const dZT = tf.mul(dHT, tf.step(hT));
    const db1 = tf.sum(dZT, 1);
    const db2 = tf.sum(dLogits, 0);
    clock?.lap('backprop elementwise');
    const dW1T = tf.matMul(dZT, batch.x);
    clock?.lap('matMul');
    return { dW1T, db1, dW2, db2, sums };
  });
  gradients.set(valuesOf(out.dW1T), layout.w1T);
  gradients.set(valuesOf(out.db1), layout.b1);
  gradients.set(valuesOf(out.dW2), layout.w2);
  gradients.set(valuesOf(out.db2), layout.b2);
  const [lossSum, correct] = valuesOf(out.sums);
  tf.dispose(Object.values(out));
  clock?.lap('read gradients');
  return [lossSum, correct];
}
