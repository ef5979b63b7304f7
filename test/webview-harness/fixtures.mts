// The messages the harness plays to each panel, built from real MNIST and a real (softmax
// regression) training run, in the shapes the extension host sends.
import type { ModelSummary } from '../../src/shared/protocol';
import { initialRunState } from '../../src/shared/runState';
import type { HostToWebview, Split } from '../../src/shared/webviewProtocol';
import { MNIST_PIXELS, type MnistData } from '../../src/shared/mnist';
import { tensorPayload } from '../../src/extension/datasetStore';
import { loadMnist } from '../../src/trainer/mnistLoader';
import { summarizeTensor } from '../../src/shared/stats';
import { readDigit } from '../../src/shared/preprocess';
import { topThree, unsureReason } from '../../src/shared/verdict';
import { type SoftmaxRun, trainSoftmax } from './softmaxRun.mts';

export class Fixtures {
  readonly mnist: MnistData = loadMnist();
  /** With a 10% validation split (both epoch curves drawn). */
  readonly run: SoftmaxRun = trainSoftmax(this.mnist);
  private bookShapedRun: SoftmaxRun | null = null;

  /** Without validation, like the book: 5 × 469 = 2,345 batch points (the size the speed target is about). */
  get bookRun(): SoftmaxRun {
    return (this.bookShapedRun ??= trainSoftmax(this.mnist, 5, 128, 0));
  }

  readonly summary: ModelSummary = {
    name: 'softmax_regression',
    layers: [{ name: 'softmax', className: 'Dense', outputShape: [null, 10], params: 7850, activation: 'softmax' }],
    weights: [
      { name: 'softmax/kernel', layer: 'softmax', shape: [784, 10], dtype: 'float32', params: 7840 },
      { name: 'softmax/bias', layer: 'softmax', shape: [10], dtype: 'float32', params: 10 },
    ],
    totalParams: 7850,
    trainableParams: 7850,
  };

  /** Snapshot before training (backend known, model built), then the run's events, live. */
  dashboard(withValidation = true): { snapshot: HostToWebview; events: HostToWebview[] } {
    const run = withValidation ? this.run : this.bookRun;
    const state = initialRunState();
    state.backend = { name: 'cpu', detail: 'harness: softmax regression in plain JS' };
    state.summary = this.summary;
    return {
      snapshot: { type: 'runState', state },
      events: run.events.map((event) => ({ type: 'trainerEvents', events: [event] })),
    };
  }

  datasetInfo(withPredictions: boolean): HostToWebview {
    const evaluation = this.run.events.find((e) => e.type === 'evaluation');
    return {
      type: 'datasetInfo',
      counts: { train: this.mnist.train.labels.length, test: this.mnist.test.labels.length },
      labels: { train: this.mnist.train.labels, test: this.mnist.test.labels },
      testPredictions:
        withPredictions && evaluation?.type === 'evaluation' ? evaluation.evaluation.predictedLabels : null,
    };
  }

  samples(split: Split, start: number, count: number): HostToWebview {
    const data = this.mnist[split];
    const end = Math.min(data.labels.length, start + count);
    return {
      type: 'samples',
      split,
      start,
      count: end - start,
      images: data.images.slice(start * 784, end * 784),
      labels: data.labels.slice(start, end),
    };
  }

  tensor(name: string, sliceIndex: number | null): HostToWebview {
    if (name === 'train_images') {
      const i = sliceIndex ?? 0;
      const values = Float32Array.from(this.mnist.train.images.subarray(i * 784, (i + 1) * 784));
      return {
        type: 'tensor',
        tensor: {
          ref: { source: 'tensorLens', name },
          shape: [60000, 28, 28],
          dtype: 'uint8',
          sliceIndex: i,
          values,
          summary: summarizeTensor(name, [60000, 28, 28], 'uint8', values),
          snapshot: null,
        },
      };
    }
    const [shape, values] = name === 'softmax/bias' ? [[10], this.run.bias] : [[MNIST_PIXELS, 10], this.run.kernel];
    return { type: 'tensor', tensor: tensorPayload(name, shape, values) };
  }

  /** Test digit `index` read as the host reads a picture file (its preprocessing steps too). */
  prediction(index: number): HostToWebview {
    const pixels = this.mnist.test.images.subarray(index * 784, (index + 1) * 784);
    const rgba = new Float32Array(784 * 4);
    pixels.forEach((v, i) => rgba.set([v / 255, v / 255, v / 255, 1], 4 * i));
    const reading = readDigit({ width: 28, height: 28, rgba });
    const probabilities = this.run.predict(reading.input, 255);
    const digit = probabilities.indexOf(Math.max(...probabilities));
    return {
      type: 'prediction',
      prediction: {
        file: `/harness/test-${index}.png`,
        digit,
        probabilities,
        input: reading.input,
        top3: topThree(probabilities),
        unsure: unsureReason(probabilities, reading.doubt),
        reading: reading.kind,
        steps: reading.steps,
      },
      fileName: `test-${index}.png`,
    };
  }
}
