// The tree tooltip's histogram as a PNG data URI (markdown images in hovers take data: URIs).
import { PNG } from 'pngjs';
import { histogramBars } from '../shared/histogramBars';

export const HISTOGRAM_IMAGE = { width: 120, height: 40 } as const;

/** A mid-tone blue reads on light and dark hovers alike; the background stays transparent. */
const BAR_RGBA = [0x3c, 0x8c, 0xe7, 0xff] as const;
const BASELINE_RGBA = [0x80, 0x80, 0x80, 0xff] as const;

export function histogramPng(
  counts: readonly number[],
  width: number = HISTOGRAM_IMAGE.width,
  height: number = HISTOGRAM_IMAGE.height,
): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(0);
  const paint = (x: number, y: number, rgba: readonly number[]) => {
    const at = (y * width + x) * 4;
    for (let c = 0; c < 4; c++) png.data[at + c] = rgba[c];
  };
  for (const bar of histogramBars(counts, width, height - 1)) {
    for (let x = bar.x; x < Math.min(width, bar.x + bar.width); x++) {
      for (let y = height - 1 - bar.height; y < height - 1; y++) paint(x, y, BAR_RGBA);
    }
  }
  for (let x = 0; x < width; x++) paint(x, height - 1, BASELINE_RGBA);
  return PNG.sync.write(png);
}

export function histogramDataUri(counts: readonly number[]): string {
  return `data:image/png;base64,${histogramPng(counts).toString('base64')}`;
}
