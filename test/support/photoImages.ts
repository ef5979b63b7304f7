// Writes real MNIST test digits as the phone photos people take of a digit they wrote: on paper,
// lit unevenly, on ruled or squared paper, in pencil or marker, small on a page with specks,
// tilted, noisy, JPEG-compressed. Seeded, so every run writes the same files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { dilate } from '../../src/shared/preprocess';
import { rotate } from '../../src/shared/photo';
import { mnistInk } from './digitImages';
import { loadMnist } from '../../src/trainer/mnistLoader';
import { seededRandom } from '../../src/shared/random';

export const PHOTO_FAMILIES = [
  'gradient',
  'shadow',
  'ruled',
  'squared',
  'pencil',
  'marker',
  'coloured-ink',
  'small-on-page',
  'rotated',
  'noisy',
  'jpeg',
] as const;
export type PhotoFamily = (typeof PHOTO_FAMILIES)[number];

export interface PhotoFile {
  file: string;
  label: number;
  family: PhotoFamily;
}

type Rgb = [number, number, number];

/** Normal deviates drawn from a seeded table (a fresh Box–Muller pair per pixel and channel is the slow part). */
function gaussianSource(random: () => number): () => number {
  const table = Float32Array.from(
    { length: 65536 },
    () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
  );
  return () => table[(random() * 65536) | 0];
}

let labels: Uint8Array | null = null;
function labelOf(index: number): number {
  labels ??= loadMnist().test.labels;
  return labels[index];
}

/** Bilinear enlargement of the 28×28 ink to side×side (smooth strokes, as a pen draws). */
function enlarge(ink: Float32Array, side: number): Float32Array {
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = Math.min(27, Math.max(0, ((x + 0.5) * 28) / side - 0.5));
      const sy = Math.min(27, Math.max(0, ((y + 0.5) * 28) / side - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(27, x0 + 1);
      const y1 = Math.min(27, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      out[y * side + x] =
        (1 - fy) * ((1 - fx) * ink[y0 * 28 + x0] + fx * ink[y0 * 28 + x1]) +
        fy * ((1 - fx) * ink[y1 * 28 + x0] + fx * ink[y1 * 28 + x1]);
    }
  }
  return out;
}

interface Scene {
  width: number;
  height: number;
  digitSide: number;
  pen: Rgb;
  /** Ink strength (pencil is faint). */
  strength: number;
  paper: Rgb;
  /** Light falling on the page at (x, y), 1 = full. */
  light: (x: number, y: number) => number;
  noise: number;
  lines: { color: Rgb; spacing: number; thickness: number; vertical: boolean; horizontal: boolean; margin: boolean };
  specks: number;
  tilt: number;
  thicken: number;
  grain: number;
}

function sceneFor(family: PhotoFamily, random: () => number): Scene {
  const [width, height] = family === 'small-on-page' ? [1600, 1200] : [480, 360];
  const towardsOneSide = (x: number): number => 1 - 0.45 * (x / width); // lamp on the left
  const vignette = (x: number, y: number): number =>
    1 - 0.12 * (((x - width / 2) / width) ** 2 + ((y - height / 2) / height) ** 2) * 4;
  const base: Scene = {
    width,
    height,
    digitSide: 150 + Math.floor(random() * 60),
    pen: [0.08, 0.08, 0.1],
    strength: 1,
    paper: [0.93, 0.92, 0.87],
    light: vignette,
    noise: 0.015,
    lines: { color: [0, 0, 0], spacing: 0, thickness: 0, vertical: false, horizontal: false, margin: false },
    specks: 0,
    tilt: 0,
    thicken: 0,
    grain: 0,
  };
  switch (family) {
    case 'gradient':
      return { ...base, light: (x, y) => towardsOneSide(x) * vignette(x, y) };
    case 'shadow': {
      // A hand or phone shadow: a soft-edged dark region over a third of the page, across the digit.
      const edge = width * (0.35 + 0.3 * random());
      return {
        ...base,
        light: (x, y) => vignette(x, y) * (1 - 0.45 / (1 + Math.exp((x + 0.3 * y - edge) / 12))),
      };
    }
    case 'ruled':
      return {
        ...base,
        lines: { color: [0.55, 0.7, 0.92], spacing: 34, thickness: 2, vertical: false, horizontal: true, margin: true },
      };
    case 'squared':
      return {
        ...base,
        lines: { color: [0.62, 0.7, 0.8], spacing: 24, thickness: 1, vertical: true, horizontal: true, margin: false },
      };
    case 'pencil':
      return { ...base, pen: [0.35, 0.35, 0.37], strength: 0.55, grain: 0.03, light: (x) => towardsOneSide(x) };
    case 'marker':
      return { ...base, thicken: 4, pen: [0.05, 0.05, 0.05] };
    case 'coloured-ink':
      return { ...base, pen: random() < 0.5 ? [0.8, 0.12, 0.15] : [0.15, 0.22, 0.7], light: towardsOneSide };
    case 'small-on-page':
      return { ...base, digitSide: 90 + Math.floor(random() * 40), specks: 40 };
    case 'rotated':
      return { ...base, tilt: (random() < 0.5 ? -1 : 1) * (8 + 7 * random()) };
    case 'noisy':
      return { ...base, noise: 0.07 };
    case 'jpeg':
      return { ...base, light: (x, y) => towardsOneSide(x) * vignette(x, y) };
  }
}

/** RGBA bytes of a photo of MNIST test digit `index` in the given family. */
export function renderPhoto(
  index: number,
  family: PhotoFamily,
  seed: number,
): { width: number; height: number; rgba: Uint8Array } {
  const random = seededRandom(seed);
  const scene = sceneFor(family, random);
  const { width, height, digitSide } = scene;
  let ink = { width: digitSide, height: digitSide, pixels: enlarge(mnistInk(index), digitSide) };
  if (scene.thicken > 0) ink = dilate(ink, scene.thicken);
  if (scene.tilt !== 0) ink = rotate(ink, scene.tilt);
  const left = Math.floor(random() * (width - ink.width));
  const top = Math.floor(random() * (height - ink.height));
  // Dust specks and a hair: dark marks away from the digit that a photo of a page picks up.
  const marks = new Float32Array(width * height);
  for (let k = 0; k < scene.specks; k++) {
    const [cx, cy, r] = [random() * width, random() * height, 0.8 + random() * 1.8];
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, cy + r); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, cx + r); x++)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) marks[y * width + x] = 0.9;
  }
  if (scene.specks > 0) {
    const [hx, hy] = [random() * (width - 200), 20 + random() * (height - 40)];
    for (let x = Math.floor(hx); x < hx + 200; x++)
      marks[Math.round(hy + 15 * Math.sin((x - hx) / 30)) * width + x] = 0.7;
  }
  const gaussian = gaussianSource(random);
  const rgba = new Uint8Array(width * height * 4);
  const { lines } = scene;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let color: Rgb = [...scene.paper];
      const onRule =
        (lines.horizontal && lines.spacing > 0 && y % lines.spacing < lines.thickness) ||
        (lines.vertical && lines.spacing > 0 && x % lines.spacing < lines.thickness);
      if (onRule) color = [...lines.color];
      if (lines.margin && x >= 70 && x < 72) color = [0.9, 0.45, 0.45];
      const ix = x - left;
      const iy = y - top;
      let v = ix >= 0 && iy >= 0 && ix < ink.width && iy < ink.height ? ink.pixels[iy * ink.width + ix] : 0;
      v = Math.max(v, marks[y * width + x]);
      v *= scene.strength;
      const light = scene.light(x, y);
      const grain = scene.grain * gaussian();
      for (let c = 0; c < 3; c++) {
        const value = (color[c] * (1 - v) + scene.pen[c] * v) * light + grain + scene.noise * gaussian();
        rgba[4 * (y * width + x) + c] = Math.max(0, Math.min(255, Math.round(value * 255)));
      }
      rgba[4 * (y * width + x) + 3] = 255;
    }
  }
  return { width, height, rgba };
}

/** Photos of MNIST test digits `indices` in every family (PNG, except the JPEG family at quality 60). */
export function writePhotos(
  dir: string,
  indices: number[],
  families: readonly PhotoFamily[] = PHOTO_FAMILIES,
): PhotoFile[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: PhotoFile[] = [];
  for (const [f, family] of families.entries()) {
    for (const index of indices) {
      const { width, height, rgba } = renderPhoto(index, family, 1000 * f + index);
      const isJpeg = family === 'jpeg';
      const file = path.join(dir, `photo-${family}-${index}.${isJpeg ? 'jpg' : 'png'}`);
      if (isJpeg) fs.writeFileSync(file, jpeg.encode({ data: rgba, width, height }, 60).data);
      else {
        const png = new PNG({ width, height });
        png.data = Buffer.from(rgba);
        fs.writeFileSync(file, PNG.sync.write(png));
      }
      out.push({ file, label: labelOf(index), family });
    }
  }
  return out;
}

/**
 * Two MNIST test digits written side by side on one page of squared paper (a photo that is not of
 * one digit), as a PNG. The two halves meet seamlessly: the grid and the vignette match at the edges.
 */
export function writeTwoDigitPhoto(file: string, first: number, second: number): void {
  const left = renderPhoto(first, 'squared', 1);
  const right = renderPhoto(second, 'squared', 2);
  const { width, height } = left;
  const pair = new PNG({ width: 2 * width, height });
  for (let y = 0; y < height; y++) {
    pair.data.set(left.rgba.subarray(4 * y * width, 4 * (y + 1) * width), 4 * y * 2 * width);
    pair.data.set(right.rgba.subarray(4 * y * width, 4 * (y + 1) * width), 4 * (y * 2 * width + width));
  }
  fs.writeFileSync(file, PNG.sync.write(pair));
}
