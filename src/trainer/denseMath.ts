// The loss of the book's Dense(h, relu) → Dense(10, softmax) model and its gradient at the logits,
// written once for both training paths (the tfjs-optimizer path's backward pass in the model's
// layout, the fused path's shardGradients in its transposed one), each held to trainOnBatch within
// 1e-6; and the forward pass in the model's layout, for inspected steps and validation.
import * as tf from '@tensorflow/tfjs';
import type { DenseWeights } from './denseWeights';

/** The labels of a batch, as its one-hot rows and as class indices. */
export interface BatchLabels {
  oneHot: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/**
 * [summed loss, correct count] of a batch, and the probability of each sample's true class.
 * The loss clips like tfjs-layers' sparse categorical cross-entropy: -log(clip(p, ε, 1-ε)).
 */
export function lossSums(
  logits: tf.Tensor,
  probs: tf.Tensor,
  batch: BatchLabels,
  epsilon: number,
): { sums: tf.Tensor1D; trueProb: tf.Tensor1D } {
  const trueProb = tf.sum(tf.mul(probs, batch.oneHot), 1) as tf.Tensor1D;
  const lossSum = tf.neg(tf.sum(tf.log(tf.clipByValue(trueProb, epsilon, 1 - epsilon))));
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), 'float32'));
  return { sums: tf.stack([lossSum, correct]) as tf.Tensor1D, trueProb };
}

/**
 * d(summed loss / divisor)/d(logits) = (p - y) / divisor, zero where tfjs' clip cuts the true
 * class' gradient. The divisor is the batch's sample count (a shard divides by its whole batch's).
 */
export function logitGradient(
  probs: tf.Tensor,
  trueProb: tf.Tensor1D,
  batch: BatchLabels,
  epsilon: number,
  divisor: number,
): tf.Tensor2D {
  const n = trueProb.shape[0];
  const unclipped = tf.logicalAnd(tf.greaterEqual(trueProb, epsilon), tf.lessEqual(trueProb, 1 - epsilon));
  const scale = tf.div(tf.cast(unclipped, 'float32'), divisor).reshape([n, 1]);
  return tf.mul(tf.sub(probs, batch.oneHot), scale) as tf.Tensor2D;
}

/** Forward pass in the model's layout: hidden activations, logits and softmax probabilities. */
export function forward(
  x: tf.Tensor2D,
  weights: DenseWeights,
): { hidden: tf.Tensor; logits: tf.Tensor; probs: tf.Tensor } {
  const hidden = tf.fused.matMul({ a: x, b: weights.w1, bias: weights.b1, activation: 'relu' });
  const logits = tf.fused.matMul({ a: hidden, b: weights.w2, bias: weights.b2 });
  return { hidden, logits, probs: tf.softmax(logits) };
}
