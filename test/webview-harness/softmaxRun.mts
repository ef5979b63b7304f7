// A real (small) training run for the harness: softmax regression on real MNIST in plain JS,
// batch 128, emitting the same TrainerEvents the trainer streams, so the panels show real curves,
// a real confusion matrix and real mistakes. It is not the book's two-layer model, and says so.
import type { MnistData } from '../../src/shared/mnist';
import type { BatchPoint, EpochMetrics, TrainerEvent } from '../../src/shared/protocol';
import { summarizeTensor } from '../../src/shared/stats';

export interface SoftmaxRun {
  events: TrainerEvent[];
  kernel: Float32Array;
  bias: Float32Array;
  predict(pixels: ArrayLike<number>, scale: number): number[];
}

export function trainSoftmax(
  mnist: MnistData,
  epochs = 5,
  batchSize = 128,
  validationSplit = 0.1,
  lr = 0.5,
): SoftmaxRun {
  const n = mnist.train.labels.length;
  const trainN = Math.round(n * (1 - validationSplit));
  const W = new Float32Array(784 * 10);
  const b = new Float32Array(10);
  let seed = 42;
  const rand = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const limit = Math.sqrt(6 / (784 + 10));
  for (let i = 0; i < W.length; i++) W[i] = (rand() * 2 - 1) * limit;

  const probs = (images: Uint8Array, i: number, out: Float32Array): void => {
    out.set(b);
    const base = i * 784;
    for (let p = 0; p < 784; p++) {
      const x = images[base + p];
      if (x === 0) continue;
      const xs = x / 255;
      for (let k = 0; k < 10; k++) out[k] += xs * W[p * 10 + k];
    }
    let m = -Infinity;
    for (let k = 0; k < 10; k++) m = Math.max(m, out[k]);
    let s = 0;
    for (let k = 0; k < 10; k++) s += out[k] = Math.exp(out[k] - m);
    for (let k = 0; k < 10; k++) out[k] /= s;
  };
  const evaluate = (
    images: Uint8Array,
    labels: Uint8Array,
    from: number,
    to: number,
  ): { loss: number; accuracy: number; predicted: Uint8Array } => {
    const p = new Float32Array(10);
    const predicted = new Uint8Array(to - from);
    let loss = 0,
      correct = 0;
    for (let i = from; i < to; i++) {
      probs(images, i, p);
      let best = 0;
      for (let k = 1; k < 10; k++) if (p[k] > p[best]) best = k;
      predicted[i - from] = best;
      if (best === labels[i]) correct++;
      loss -= Math.log(Math.max(1e-7, p[labels[i]]));
    }
    return { loss: loss / (to - from), accuracy: correct / (to - from), predicted };
  };

  const weightsEvent = (epoch: number): TrainerEvent => ({
    type: 'weights',
    epoch,
    tensors: [
      summarizeTensor('softmax/kernel', [784, 10], 'float32', W),
      summarizeTensor('softmax/bias', [10], 'float32', b),
    ],
  });
  const batchesPerEpoch = Math.ceil(trainN / batchSize);
  const events: TrainerEvent[] = [
    {
      type: 'trainStart',
      threads: 1,
      config: {
        epochs,
        batchSize,
        hiddenUnits: 0,
        learningRate: lr,
        optimizer: 'sgd',
        validationSplit,
        trainLimit: null,
        seed: 42,
        backend: 'cpu',
        dataDir: null,
        modelDir: null,
        stream: 'all',
      },
      trainSamples: trainN,
      valSamples: n - trainN,
      batchesPerEpoch,
    },
    weightsEvent(0),
  ];
  const p = new Float32Array(10);
  const gW = new Float32Array(W.length);
  const gb = new Float32Array(10);
  let step = 0;
  const started = Date.now();
  let pending: BatchPoint[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = Date.now();
    let epochLoss = 0,
      epochCorrect = 0;
    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      const from = batch * batchSize,
        to = Math.min(trainN, from + batchSize);
      gW.fill(0);
      gb.fill(0);
      let loss = 0,
        correct = 0;
      for (let i = from; i < to; i++) {
        probs(mnist.train.images, i, p);
        const y = mnist.train.labels[i];
        let best = 0;
        for (let k = 1; k < 10; k++) if (p[k] > p[best]) best = k;
        if (best === y) correct++;
        loss -= Math.log(Math.max(1e-7, p[y]));
        p[y] -= 1;
        for (let k = 0; k < 10; k++) gb[k] += p[k];
        const base = i * 784;
        for (let px = 0; px < 784; px++) {
          const x = mnist.train.images[base + px];
          if (x === 0) continue;
          const xs = x / 255;
          for (let k = 0; k < 10; k++) gW[px * 10 + k] += xs * p[k];
        }
      }
      const count = to - from;
      for (let i = 0; i < W.length; i++) W[i] -= (lr * gW[i]) / count;
      for (let k = 0; k < 10; k++) b[k] -= (lr * gb[k]) / count;
      step++;
      epochLoss += loss;
      epochCorrect += correct;
      pending.push({ epoch, batch, step, loss: loss / count, accuracy: correct / count });
      if (pending.length === 10 || batch === batchesPerEpoch - 1) {
        events.push({
          type: 'batches',
          points: pending,
          samplesPerSecond: Math.round((step * batchSize) / ((Date.now() - started) / 1000 || 1)),
        });
        pending = [];
      }
    }
    const val = trainN < n ? evaluate(mnist.train.images, mnist.train.labels, trainN, n) : null;
    const seconds = (Date.now() - epochStart) / 1000;
    const metrics: EpochMetrics = {
      epoch,
      epochs,
      loss: epochLoss / trainN,
      accuracy: epochCorrect / trainN,
      valLoss: val?.loss ?? null,
      valAccuracy: val?.accuracy ?? null,
      seconds,
      samplesPerSecond: Math.round(trainN / seconds),
    };
    events.push({ type: 'epoch', metrics }, weightsEvent(epoch));
  }
  const seconds = (Date.now() - started) / 1000;
  events.push({
    type: 'trainEnd',
    reason: 'completed',
    epochsCompleted: epochs,
    seconds,
    samplesPerSecond: Math.round((trainN * epochs) / seconds),
  });

  const test = evaluate(mnist.test.images, mnist.test.labels, 0, mnist.test.labels.length);
  // The trained model on its training digits, as the trainer measures it after a run.
  const train = evaluate(mnist.train.images, mnist.train.labels, 0, trainN);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const misclassified: number[] = [];
  test.predicted.forEach((pred, i) => {
    confusion[mnist.test.labels[i]][pred]++;
    if (pred !== mnist.test.labels[i]) misclassified.push(i);
  });
  const perClassAccuracy = confusion.map((row, d) => row[d] / row.reduce((a, c) => a + c, 0));
  events.push({
    type: 'evaluation',
    requestId: null,
    evaluation: {
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      train: { loss: train.loss, accuracy: train.accuracy, samples: trainN, epochs },
      confusion,
      perClassAccuracy,
      misclassified,
      predictedLabels: test.predicted,
    },
  });

  return {
    events,
    kernel: W,
    bias: b,
    predict(pixels, scale) {
      const img = new Uint8Array(784);
      for (let i = 0; i < 784; i++) img[i] = Math.round(pixels[i] * scale);
      const out = new Float32Array(10);
      probs(img, 0, out);
      return [...out];
    },
  };
}
