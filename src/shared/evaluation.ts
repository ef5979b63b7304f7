// Test-set metrics from the model's output probabilities: the same numbers Keras' evaluate gives
// (mean cross-entropy, accuracy) plus the confusion matrix and the list of mistakes; and the same
// loss and accuracy tallied batch by batch over the training set, too large to hold at once.
import type { Evaluation, TrainMeasurement } from './protocol';

/** Keras clips probabilities to [ε, 1 − ε] before the log, so a confident mistake costs ≈ 16, not ∞. */
const EPSILON = 1e-7;

/** Index of the largest value in row `row` of a row-major [rows, width] array. */
export function argmaxRow(values: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (values[row * width + j] > values[row * width + best]) best = j;
  return best;
}

/** Keras' categorical cross-entropy of one sample: −log of its true class's clipped probability. */
function sampleLoss(probability: number): number {
  return -Math.log(Math.min(Math.max(probability, EPSILON), 1 - EPSILON));
}

/** Loss and accuracy summed batch by batch: `add` each batch's softmax outputs, then `measurement`. */
export class ScoreTally {
  private lossSum = 0;
  private correct = 0;
  private count = 0;

  add(probabilities: ArrayLike<number>, labels: ArrayLike<number>, classes = 10): void {
    if (probabilities.length !== labels.length * classes)
      throw new Error(`expected ${labels.length * classes} probabilities, got ${probabilities.length}`);
    for (let i = 0; i < labels.length; i++) {
      if (argmaxRow(probabilities, i, classes) === labels[i]) this.correct++;
      this.lossSum += sampleLoss(probabilities[i * classes + labels[i]]);
    }
    this.count += labels.length;
  }

  measurement(epochs: number): TrainMeasurement {
    if (this.count === 0) throw new Error('cannot measure on no samples');
    return { loss: this.lossSum / this.count, accuracy: this.correct / this.count, samples: this.count, epochs };
  }
}

/**
 * `probabilities` is row-major [labels.length, classes] (softmax outputs); labels are the true classes.
 * `train` is the model measured on its training samples, when a run trained it.
 */
export function evaluateProbabilities(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes = 10,
  train: TrainMeasurement | null = null,
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
    lossSum += sampleLoss(probabilities[i * classes + actual]);
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[c] / total;
  });
  return {
    testLoss: lossSum / count,
    testAccuracy: (count - misclassified.length) / count,
    train,
    confusion,
    perClassAccuracy,
    misclassified,
    predictedLabels,
  };
}
