// Validation metrics at each epoch's end: the model's mean loss and accuracy on held-out data.
import * as tf from '@tensorflow/tfjs';
import { forward, lossSums } from './denseMath';
import type { DenseWeights } from './denseWeights';
import { type FitData, BatchStager } from './fitData';

/** Samples per forward pass when computing validation metrics. */
const VALIDATION_CHUNK = 2000;

/** Mean loss and accuracy of the model on `data`, in chunks, one read at the end. */
export async function evaluateData(
  data: FitData,
  weights: DenseWeights,
  epsilon: number,
): Promise<{ loss: number; accuracy: number }> {
  const stager = new BatchStager(VALIDATION_CHUNK);
  const order = new Uint32Array(data.count).map((_, i) => i);
  const parts: tf.Tensor1D[] = [];
  for (let from = 0; from < data.count; from += VALIDATION_CHUNK) {
    const n = Math.min(VALIDATION_CHUNK, data.count - from);
    parts.push(
      tf.tidy(() => {
        const batch = stager.tensors(data, order, from, n);
        const { logits, probs } = forward(batch.x, weights);
        return lossSums(logits, probs, batch, epsilon).sums;
      }),
    );
  }
  const total = tf.tidy(() => tf.addN(parts));
  const [lossSum, correct] = await total.data();
  tf.dispose([...parts, total]);
  return { loss: lossSum / data.count, accuracy: correct / data.count };
}
