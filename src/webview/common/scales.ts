// Value → colour scales for heatmaps and digit images, written into RGBA byte buffers.
import { type Rgba, mix } from './color';

export interface DivergingScale {
  kind: 'diverging';
  /** Largest absolute value: −limit is fully `negative`, +limit fully `positive`. */
  limit: number;
  negative: Rgba;
  zero: Rgba;
  positive: Rgba;
}

export interface SequentialScale {
  kind: 'sequential';
  min: number;
  max: number;
  low: Rgba;
  high: Rgba;
}

export type ColorScale = DivergingScale | SequentialScale;

export function colorAt(scale: ColorScale, value: number): Rgba {
  if (scale.kind === 'diverging') {
    const t = scale.limit > 0 ? value / scale.limit : 0;
    return t < 0 ? mix(scale.zero, scale.negative, -t) : mix(scale.zero, scale.positive, t);
  }
  const span = scale.max - scale.min;
  return mix(scale.low, scale.high, span > 0 ? (value - scale.min) / span : 0);
}

/** RGBA bytes (ImageData layout) for values, one pixel per value. */
export function paint(values: ArrayLike<number>, scale: ColorScale): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const c = colorAt(scale, values[i]);
    out[i * 4] = c[0];
    out[i * 4 + 1] = c[1];
    out[i * 4 + 2] = c[2];
    out[i * 4 + 3] = Math.round(c[3] * 255);
  }
  return out;
}

/** Largest |v| of the finite values (0 for none), the natural limit of a diverging scale. */
export function absMax(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}
