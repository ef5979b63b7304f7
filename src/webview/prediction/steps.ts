// The preprocessing as a strip of small pictures: the photo, its lighting evened out, the ink
// found, the digit kept, and the 28×28 input the model saw.
import type { PreprocessStep } from '../../shared/preprocess';
import { putPixels } from '../common/canvas';
import { h } from '../common/dom';
import { MNIST_SIDE } from '../../shared/mnist';

export const STEP_CAPTIONS: Record<PreprocessStep['name'], string> = {
  original: 'the picture',
  normalised: 'lighting evened out',
  ink: 'ink found',
  digit: 'the digit kept',
  input: `${MNIST_SIDE}×${MNIST_SIDE} input`,
};

/** RGBA bytes of a step: grey steps are spread over the three colour channels, fully opaque. */
export function stepRgba(step: PreprocessStep): Uint8ClampedArray {
  if (step.channels === 4) return new Uint8ClampedArray(step.pixels);
  const rgba = new Uint8ClampedArray(step.width * step.height * 4);
  step.pixels.forEach((v, i) => rgba.set([v, v, v, 255], 4 * i));
  return rgba;
}

/** One figure per step, left to right, each a canvas scaled up by CSS (pixelated). */
export function renderSteps(strip: HTMLElement, steps: readonly PreprocessStep[]): void {
  strip.replaceChildren(
    ...steps.map((step) => {
      const canvas = h('canvas', {
        class: 'step-image pixelated',
        role: 'img',
        'aria-label': `${STEP_CAPTIONS[step.name]}, ${step.width} by ${step.height} pixels`,
        'data-step': step.name,
      });
      putPixels(canvas, step.width, step.height, stepRgba(step));
      return h('figure', { class: 'step' }, canvas, h('figcaption', { class: 'muted' }, STEP_CAPTIONS[step.name]));
    }),
  );
}
