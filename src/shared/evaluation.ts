// Test-set metrics from the model's output probabilities: the same numbers Keras' evaluate gives
// (mean cross-entropy, accuracy) plus the confusion matrix and the list of mistakes.
import type { Evaluation } from './protocol';

/** Keras clips probabilities to [ε, 1 − ε] before the log, so a confident mistake costs ≈ 16, not ∞. */
const EPSILON = 1e-7;

/** Index of the largest value in row `row` of a row-major [rows, width] array. */
export function argmaxRow(values: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (values[row * width + j] > values[row * width + best]) best = j;
  return best;
}

/**
 * `probabilities` is row-major [labels.length, classes] (softmax outputs); labels are the true classes.
 */
export function evaluateProbabilities(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes = 10,
): Evaluation {
  const count = labels.length;
  if (count === 0) throw new Error('cannot evaluate on an empty test set');
  if (probabilities.length !== count * classes) {
    throw new Error(
      `expected ${count * classes} probabilities for ${count} samples of ${classes} classes, got ${probabilities.length}`,
    );
  }
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const predictedLabels = new Uint8Array(count);
  const misclassified: number[] = [];
  let lossSum = 0;
  for (let i = 0; i < count; i++) {
    const actual = labels[i];
    if (!Number.isInteger(actual) || actual < 0 || actual >= classes)
      throw new Error(`label ${actual} of sample ${i} is not a class in 0..${classes - 1}`);
    const predicted = argmaxRow(probabilities, i, classes);
    predictedLabels[i] = predicted;
    confusion[actual][predicted]++;
    if (predicted !== actual) misclassified.push(i);
    const p = Math.min(Math.max(probabilities[i * classes + actual], EPSILON), 1 - EPSILON);
    lossSum -= Math.log(p);
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[c] / total;
  });
  return {
    testLoss: lossSum / count,
    testAccuracy: (count - misclassified.length) / count,
    confusion,
    perClassAccuracy,
    misclassified,
    predictedLabels,
  };
}
