// The preprocessing as a strip of small pictures: the photo, its lighting evened out, the ink
// found, the digit kept, and the 28×28 input the model saw.
import type { PreprocessStage } from '../../shared/preprocess';
import { putPixels } from '../common/canvas';
import { h } from '../common/dom';
import { MNIST_SIDE } from '../../shared/mnist';
import { t } from '../common/strings';

/** The caption under a step's picture, in the display language. */
export function stepCaption(name: PreprocessStage['name']): string {
  return t(`prediction.step.${name}`, MNIST_SIDE);
}

/** RGBA bytes of a step: grey steps are spread over the three colour channels, fully opaque. */
export function stepRgba(step: PreprocessStage): Uint8ClampedArray {
  if (step.channels === 4) return new Uint8ClampedArray(step.pixels);
  const rgba = new Uint8ClampedArray(step.width * step.height * 4);
  step.pixels.forEach((v, i) => rgba.set([v, v, v, 255], 4 * i));
  return rgba;
}

/** One figure per step, left to right, each a canvas scaled up by CSS (pixelated). */
export function renderSteps(strip: HTMLElement, steps: readonly PreprocessStage[]): void {
  strip.replaceChildren(
    ...steps.map((step) => {
      const canvas = h('canvas', {
        class: 'step-image pixelated',
        role: 'img',
        'aria-label': t('prediction.stepAria', stepCaption(step.name), step.width, step.height),
        'data-step': step.name,
      });
      putPixels(canvas, step.width, step.height, stepRgba(step));
      return h('figure', { class: 'step' }, canvas, h('figcaption', { class: 'muted' }, stepCaption(step.name)));
    }),
  );
}

/**
 * The picture beside the model's input: the prediction's own original step (longer side ≤
 * STEP_SIDE), scaled up by CSS. The host never sends the file: a phone photo is megabytes.
 */
export function showOriginal(canvas: HTMLCanvasElement, steps: readonly PreprocessStage[]): void {
  const original = steps.find((step) => step.name === 'original');
  canvas.hidden = original === undefined;
  if (original) putPixels(canvas, original.width, original.height, stepRgba(original));
}
