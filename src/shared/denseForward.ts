// The book's network run by hand on one input, for the drawing pad: it needs the hidden layer's
// every activation and which of them drove the answer, many times a second, without the trainer.
// Same arithmetic as Dense(relu) → Dense(softmax): h = relu(x·W1 + b1), p = softmax(h·W2 + b2).

export interface DenseWeightValues {
  /** [inputs, hidden] row-major (Keras' dense/kernel). */
  kernel1: Float32Array;
  bias1: Float32Array;
  /** [hidden, classes] row-major (dense_1/kernel). */
  kernel2: Float32Array;
  bias2: Float32Array;
}

export interface DenseForward {
  hidden: Float32Array;
  probabilities: Float32Array;
  digit: number;
}

export function denseForward(input: Float32Array, w: DenseWeightValues): DenseForward {
  const units = w.bias1.length;
  const classes = w.bias2.length;
  const hidden = Float32Array.from(w.bias1);
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    if (x === 0) continue; // most pixels are background
    const row = i * units;
    for (let j = 0; j < units; j++) hidden[j] += x * w.kernel1[row + j];
  }
  for (let j = 0; j < units; j++) if (hidden[j] < 0) hidden[j] = 0;
  const logits = Float64Array.from(w.bias2);
  for (let j = 0; j < units; j++) {
    const h = hidden[j];
    if (h === 0) continue;
    for (let k = 0; k < classes; k++) logits[k] += h * w.kernel2[j * classes + k];
  }
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const probabilities = Float32Array.from(exp, (e) => e / sum);
  let digit = 0;
  for (let k = 1; k < classes; k++) if (probabilities[k] > probabilities[digit]) digit = k;
  return { hidden, probabilities, digit };
}

/** The `count` hidden units that added most to class `answer`'s logit (h_j · W2[j, answer] > 0), largest first. */
export function topContributors(
  hidden: Float32Array,
  kernel2: Float32Array,
  classes: number,
  answer: number,
  count: number,
): { unit: number; contribution: number }[] {
  const all: { unit: number; contribution: number }[] = [];
  for (let j = 0; j < hidden.length; j++) {
    const contribution = hidden[j] * kernel2[j * classes + answer];
    if (contribution > 0) all.push({ unit: j, contribution });
  }
  return all.sort((a, b) => b.contribution - a.contribution).slice(0, count);
}
