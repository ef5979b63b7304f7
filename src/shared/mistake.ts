// A mistake explained: the training digits closest to a misread test digit (by pixel distance),
// and the hidden units that pushed the network toward its wrong answer rather than the right one.
import { MNIST_PIXELS } from './mnist';

export interface Neighbour {
  index: number;
  label: number;
  /** Euclidean distance of the pixels scaled to [0, 1]. */
  distance: number;
}

/** The `k` training images nearest to `image` (uint8, 784 pixels), nearest first. */
export function nearestImages(image: Uint8Array, images: Uint8Array, labels: Uint8Array, k: number): Neighbour[] {
  const count = Math.floor(images.length / MNIST_PIXELS);
  const best: { index: number; squared: number }[] = [];
  for (let n = 0; n < count; n++) {
    const offset = n * MNIST_PIXELS;
    const bound = best.length === k ? best[k - 1].squared : Infinity;
    let squared = 0;
    for (let i = 0; i < MNIST_PIXELS && squared < bound; i++) {
      const d = images[offset + i] - image[i];
      squared += d * d;
    }
    if (squared >= bound) continue;
    best.push({ index: n, squared });
    best.sort((a, b) => a.squared - b.squared);
    if (best.length > k) best.pop();
  }
  return best.map(({ index, squared }) => ({ index, label: labels[index], distance: Math.sqrt(squared) / 255 }));
}

/**
 * The `count` hidden units that favoured `wrong` over `right` most: activation × (weight to the
 * wrong class − weight to the right class), largest first, positive ones only.
 */
export function unitsBehindMistake(
  hidden: Float32Array,
  kernel2: Float32Array,
  classes: number,
  wrong: number,
  right: number,
  count: number,
): { unit: number; push: number }[] {
  const units: { unit: number; push: number }[] = [];
  for (let j = 0; j < hidden.length; j++) {
    const push = hidden[j] * (kernel2[j * classes + wrong] - kernel2[j * classes + right]);
    if (push > 0) units.push({ unit: j, push });
  }
  return units.sort((a, b) => b.push - a.push).slice(0, count);
}
