// A misread test digit explained for the mistake panel: the model's probabilities, the nearest
// training digits (searched by the dataset worker, off the host's thread) and the hidden units that
// pushed it toward the wrong answer. One explanation at a time, and only the newest request waits:
// a key held on a gallery tile asks many times a second. No `vscode`: the panel manager shows it.
import { LatestOnly } from '../shared/coalesce';
import { denseForward, type DenseWeightValues } from '../shared/denseForward';
import { unitsBehindMistake } from '../shared/mistake';
import { MNIST_PIXELS } from '../shared/mnist';
import type { MistakePayload } from '../shared/webviewProtocol';
import type { DatasetStore } from './datasetStore';

/** Training digits shown next to the test digit. */
const NEAREST_SHOWN = 5;
/** Hidden units shown as the ones behind the mistake. */
const UNITS_SHOWN = 6;

export class MistakeExplainer {
  private readonly latest = new LatestOnly((index: number) => this.explainNow(index));

  /** `weights()` fetches the current model's weights (from the trainer, or the saved model). */
  constructor(
    private readonly dataset: Pick<DatasetStore, 'load' | 'nearest'>,
    private readonly weights: () => Promise<DenseWeightValues>,
  ) {}

  /** Test sample `index` explained, or null when a newer request took its place before it started. */
  explain(index: number): Promise<MistakePayload | null> {
    return this.latest.run(index);
  }

  private async explainNow(index: number): Promise<MistakePayload> {
    const { data } = await this.dataset.load();
    if (index >= data.test.count) throw new Error(`no test sample ${index}: the test set has ${data.test.count}`);
    const weights = await this.weights();
    const image = data.test.images.slice(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS);
    const label = data.test.labels[index];
    const result = denseForward(
      Float32Array.from(image, (p) => p / 255),
      weights,
    );
    const classes = weights.bias2.length;
    const units = weights.bias1.length;
    return {
      index,
      label,
      predicted: result.digit,
      image,
      probabilities: Array.from(result.probabilities),
      nearest: await this.dataset.nearest(image, NEAREST_SHOWN),
      units: unitsBehindMistake(result.hidden, weights.kernel2, classes, result.digit, label, UNITS_SHOWN).map((u) => ({
        ...u,
        weights: Float32Array.from({ length: MNIST_PIXELS }, (_, i) => weights.kernel1[i * units + u.unit]),
      })),
    };
  }
}
