// A Step: one batch trained exactly as any other by whichever path runs, with the weights before,
// the gradients it applied and the weights after kept for the host to inspect.
import * as tf from '@tensorflow/tfjs';
import { forward, lossSums } from './denseMath';
import type { DenseWeights } from './denseWeights';
import type { FitData, BatchStager } from './fitData';
import type { BatchSums, Stepper } from './steppers';

/**
 * One training step kept for inspection (a Step, never an ordinary batch): the tensors are the
 * caller's to dispose. Weight tensors are in the model's order: hidden kernel, hidden bias, output kernel, output bias.
 */
export interface InspectedStep {
  epoch: number;
  batch: number;
  step: number;
  /** The batch: n × 784 pixels in [0, 1] and the labels. */
  x: tf.Tensor2D;
  labels: tf.Tensor1D;
  /** [loss sum, correct count] before the update (the step's own forward pass) and after it, same batch. */
  before: tf.Tensor1D;
  after: tf.Tensor1D;
  gradients: tf.Tensor[];
  updates: tf.Tensor[];
  /** ‖Δw‖ and ‖w‖ (before the step) per weight. */
  updateNorms: tf.Tensor1D;
  weightNorms: tf.Tensor1D;
}

/**
 * Trains samples order[from, from + n) with `stepper.step`'s path and keeps it for inspection;
 * `stager` stages the batch again for the forward pass after the update.
 */
export async function inspectStep(
  stepper: Stepper,
  stager: BatchStager,
  train: FitData,
  order: Uint32Array,
  from: number,
  n: number,
  weights: DenseWeights,
  epsilon: number,
): Promise<{ sums: BatchSums; inspected: Omit<InspectedStep, 'epoch' | 'batch' | 'step'> }> {
  stepper.syncModel();
  // Clones keep the old values: the step gives the variables new data.
  const previous = weights.variables.map((v) => v.read().clone());
  const { sums, gradients } = await stepper.inspect(from, n);
  stepper.syncModel();
  const inspected = tf.tidy(() => {
    const batch = stager.tensors(train, order, from, n);
    const updates = weights.variables.map((v, i) => tf.sub(v.read(), previous[i]));
    const { logits, probs } = forward(batch.x, weights);
    return {
      x: batch.x.clone(),
      labels: batch.labels.clone(),
      before: sums instanceof tf.Tensor ? sums.clone() : tf.tensor1d(sums),
      after: lossSums(logits, probs, batch, epsilon).sums,
      gradients,
      updates,
      updateNorms: tf.stack(updates.map((u) => tf.norm(u))) as tf.Tensor1D,
      weightNorms: tf.stack(previous.map((w) => tf.norm(w))) as tf.Tensor1D,
    };
  });
  tf.dispose(previous);
  return { sums, inspected };
}
