// Writes real MNIST test digits as the phone photos people take of a digit they wrote: on paper,
// lit unevenly, on ruled or squared paper, in pencil or marker, small on a page with specks,
// tilted, noisy, JPEG-compressed; on brown or coloured paper, on a note or card lying on a desk,
// near a page's edge, on creased paper. And pictures that are not one digit: letters, printed
// symbols, tangles, empty pages, noise, several digits in a row. Seeded: every run writes the same files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { type GrayImage, dilate } from '../../src/shared/preprocess';
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
/** Round 2 (issue 23): paper that is not white, paper lying on something, creased paper. */
export const PAPER_FAMILIES = [
  'kraft',
  'coloured-card',
  'note-on-desk',
  'card-on-table',
  'page-edge',
  'creased',
] as const;
export type PhotoFamily = (typeof PHOTO_FAMILIES)[number] | (typeof PAPER_FAMILIES)[number];

/** Pictures that are not one digit, each on a photographed page. */
export const NOT_A_DIGIT_KINDS = [
  'letter-x',
  'letter-a',
  'printed',
  'tangle',
  'blank',
  'noise',
  'two-digits',
  'year',
] as const;
export type NotADigitKind = (typeof NOT_A_DIGIT_KINDS)[number];

export interface PhotoFile {
  file: string;
  label: number;
  family: PhotoFamily;
}

export interface NotADigitFile {
  file: string;
  kind: NotADigitKind;
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
  /** The paper's extent when it lies on something (a desk, a table): the backdrop shows outside it. */
  sheet?: { inside: (x: number, y: number) => boolean; box: Box; backdrop: (x: number, y: number) => Rgb };
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const smoothStep = (t: number): number => 1 / (1 + Math.exp(-t));

/** Wood: warm brown with long wavy grain lines along x and darker late-wood bands. */
function woodGrain(random: () => number): (x: number, y: number) => Rgb {
  const base: Rgb = [0.5 + 0.1 * random(), 0.34 + 0.06 * random(), 0.2 + 0.05 * random()];
  const [phase, period, wave] = [random() * 100, 18 + 10 * random(), 30 + 40 * random()];
  return (x, y) => {
    const v = y + 6 * Math.sin(x / wave + phase) + 3 * Math.sin(x / 17 + y / 40);
    const band = (v / period) % 1;
    const f = (band < 0.12 ? 0.72 : 1) * (1 + 0.08 * Math.sin((2 * Math.PI * v) / 5.3));
    return [base[0] * f, base[1] * f, base[2] * f];
  };
}

/** A rectangle (centre cx, cy; size w×h) turned by `angle` radians: inside test and axis-aligned inner box. */
function turnedRectangle(cx: number, cy: number, w: number, h: number, angle: number) {
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const local = (x: number, y: number): [number, number] => [
    cos * (x - cx) + sin * (y - cy),
    -sin * (x - cx) + cos * (y - cy),
  ];
  const inside = (x: number, y: number): boolean => {
    const [u, v] = local(x, y);
    return Math.abs(u) <= w / 2 && Math.abs(v) <= h / 2;
  };
  // Distance outside the rectangle (0 inside), for soft shadows.
  const outside = (x: number, y: number): number => {
    const [u, v] = local(x, y);
    return Math.hypot(Math.max(0, Math.abs(u) - w / 2), Math.max(0, Math.abs(v) - h / 2));
  };
  const shrink = (Math.abs(sin) * Math.max(w, h)) / 2 + 4;
  const box = { x0: cx - w / 2 + shrink, y0: cy - h / 2 + shrink, x1: cx + w / 2 - shrink, y1: cy + h / 2 - shrink };
  return { inside, outside, box };
}

/** A sheet lying on a backdrop, casting a soft shadow down and to the right. */
function sheetOn(
  rect: ReturnType<typeof turnedRectangle>,
  surface: (x: number, y: number) => Rgb,
  shadow: number,
): NonNullable<Scene['sheet']> {
  return {
    inside: rect.inside,
    box: rect.box,
    backdrop: (x, y) => {
      const dark = 1 - 0.5 * Math.exp(-rect.outside(x - shadow, y - shadow) / 6) * smoothStep(rect.outside(x, y) - 1);
      const c = surface(x, y);
      return [c[0] * dark, c[1] * dark, c[2] * dark];
    },
  };
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
    case 'kraft': {
      // Brown kraft paper or a paper bag (darker than mid-grey), evenly lit, a dark pen or a softer brown one.
      const tone = 0.48 + 0.12 * random();
      const soft = random() < 0.5;
      return {
        ...base,
        paper: [tone, tone * 0.77, tone * 0.52],
        pen: soft ? [0.26, 0.19, 0.13] : [0.1, 0.08, 0.08],
        light: (x) => 1 - 0.06 * (x / width),
        noise: 0.01,
        grain: 0.01,
      };
    }
    case 'coloured-card': {
      const cards: Rgb[] = [
        [0.8, 0.2, 0.2],
        [0.25, 0.55, 0.3],
        [0.25, 0.4, 0.78],
        [0.48, 0.3, 0.62],
        [0.92, 0.52, 0.15],
        [0.2, 0.6, 0.65],
      ];
      const paper = cards[Math.floor(random() * cards.length)];
      const pens: Rgb[] = [
        [0.08, 0.08, 0.1],
        [0.12, 0.14, 0.45],
        [0.3, 0.3, 0.3],
      ];
      return {
        ...base,
        paper,
        pen: pens[Math.floor(random() * pens.length)],
        light: (x) => 1 - 0.06 * (x / width),
        noise: 0.01,
      };
    }
    case 'note-on-desk': {
      // A yellow (or pink, or pale blue) sticky note on a wooden desk, shadow below and right.
      const notes: Rgb[] = [
        [0.98, 0.92, 0.45],
        [0.98, 0.7, 0.78],
        [0.7, 0.88, 0.98],
      ];
      const side = 250 + random() * 60;
      const rect = turnedRectangle(
        width / 2 + (random() - 0.5) * 120,
        height / 2 + (random() - 0.5) * 60,
        side,
        side * 0.95,
        ((random() - 0.5) * 10 * Math.PI) / 180,
      );
      return {
        ...base,
        paper: notes[Math.floor(random() * notes.length)],
        digitSide: 120 + Math.floor(random() * 50),
        sheet: sheetOn(rect, woodGrain(random), 6 + 6 * random()),
      };
    }
    case 'card-on-table': {
      // A white index card on a dark table, turned a little.
      const table: Rgb = random() < 0.5 ? [0.3, 0.31, 0.29] : [0.42, 0.3, 0.25];
      const texture = 0.05 * random() + 0.02;
      const rect = turnedRectangle(
        width / 2 + (random() - 0.5) * 80,
        height / 2 + (random() - 0.5) * 40,
        330 + random() * 60,
        240 + random() * 40,
        ((random() - 0.5) * 12 * Math.PI) / 180,
      );
      return {
        ...base,
        digitSide: 130 + Math.floor(random() * 40),
        sheet: sheetOn(
          rect,
          (x, y) => {
            const f = 1 + texture * Math.sin(x * 0.9 + Math.sin(y * 0.7) * 3) * Math.sin(y * 1.3);
            return [table[0] * f, table[1] * f, table[2] * f];
          },
          8,
        ),
      };
    }
    case 'page-edge': {
      // The page fills most of the picture; one side shows the desk beyond its (slightly slanted) edge.
      const side = Math.floor(random() * 4);
      const depth = 0.15 + 0.15 * random();
      const slant = (random() - 0.5) * 0.15;
      const desk: Rgb = [0.25, 0.22, 0.2];
      // Distance from the page's edge into the desk (negative on the page).
      const beyond = (x: number, y: number): number => {
        const [u, v, extent] = side % 2 === 0 ? [x, y, width] : [y, x, height];
        const edge = (1 - depth) * extent + slant * (v - (side % 2 === 0 ? height : width) / 2);
        return side < 2 ? u - edge : extent - edge - u - 1;
      };
      const margin = depth * Math.max(width, height) + 10;
      const box =
        side === 0
          ? { x0: 0, y0: 0, x1: width - margin * (width / Math.max(width, height)) - 30, y1: height }
          : side === 1
            ? { x0: 0, y0: 0, x1: width, y1: height - depth * height - 30 }
            : side === 2
              ? { x0: depth * width + 30, y0: 0, x1: width, y1: height }
              : { x0: 0, y0: depth * height + 30, x1: width, y1: height };
      return {
        ...base,
        digitSide: 120 + Math.floor(random() * 50),
        sheet: {
          inside: (x, y) => beyond(x, y) < 0,
          box,
          backdrop: (x, y) => {
            const dark = 1 - 0.4 * Math.exp(-beyond(x, y) / 8);
            return [desk[0] * dark, desk[1] * dark, desk[2] * dark];
          },
        },
      };
    }
    case 'creased': {
      // One or two folds: a thin dark line where the paper turns away, a lit ridge beside it, and
      // the far side of the fold a little darker, darkest near the fold.
      const folds = Array.from({ length: random() < 0.5 ? 1 : 2 }, () => {
        const angle = random() * Math.PI;
        const [px, py] = [width * (0.3 + 0.4 * random()), height * (0.3 + 0.4 * random())];
        return { nx: Math.cos(angle), ny: Math.sin(angle), px, py, depth: 0.75 + 0.1 * random() };
      });
      return {
        ...base,
        light: (x, y) => {
          let f = vignette(x, y);
          for (const { nx, ny, px, py, depth } of folds) {
            const d = (x - px) * nx + (y - py) * ny;
            if (d < 0) f *= 0.9 - 0.06 * Math.exp(d / 30);
            if (Math.abs(d) < 1.5) f *= depth;
            else if (d >= 1.5 && d < 4) f *= 1.06;
          }
          return f;
        },
      };
    }
  }
}

/** RGBA bytes of a photo of MNIST test digit `index` in the given family. */
export function renderPhoto(index: number, family: PhotoFamily, seed: number): RgbaBytes {
  const random = seededRandom(seed);
  const scene = sceneFor(family, random);
  const { digitSide } = scene;
  return paint(scene, { width: digitSide, height: digitSide, pixels: enlarge(mnistInk(index), digitSide) }, random);
}

interface RgbaBytes {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** The scene with `ink` (white on black) written on its paper at a random place. */
function paint(scene: Scene, digitInk: GrayImage, random: () => number): RgbaBytes {
  const { width, height } = scene;
  let ink = digitInk;
  if (scene.thicken > 0) ink = dilate(ink, scene.thicken);
  if (scene.tilt !== 0) ink = rotate(ink, scene.tilt);
  const area = scene.sheet?.box ?? { x0: 0, y0: 0, x1: width, y1: height };
  const left = Math.floor(area.x0 + random() * Math.max(0, area.x1 - area.x0 - ink.width));
  const top = Math.floor(area.y0 + random() * Math.max(0, area.y1 - area.y0 - ink.height));
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
  const { lines, sheet } = scene;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = scene.light(x, y);
      const grain = scene.grain * gaussian();
      if (sheet !== undefined && !sheet.inside(x, y)) {
        const c = sheet.backdrop(x, y);
        for (let ch = 0; ch < 3; ch++) {
          const value = c[ch] * light + grain + scene.noise * gaussian();
          rgba[4 * (y * width + x) + ch] = Math.max(0, Math.min(255, Math.round(value * 255)));
        }
        rgba[4 * (y * width + x) + 3] = 255;
        continue;
      }
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

type Stroke = [number, number][];

/** Letters and symbols as pen strokes in a unit box (x right, y down): what a hand or a font draws. */
const GLYPHS: Record<'X' | 'A' | 'M' | 'T' | '%' | '&', { aspect: number; strokes: Stroke[] }> = {
  X: {
    aspect: 0.85,
    strokes: [
      [
        [0, 0],
        [1, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ],
  },
  A: {
    aspect: 0.85,
    strokes: [
      [
        [0, 1],
        [0.5, 0],
        [1, 1],
      ],
      [
        [0.22, 0.62],
        [0.78, 0.62],
      ],
    ],
  },
  M: {
    aspect: 1,
    strokes: [
      [
        [0, 1],
        [0, 0],
        [0.5, 0.65],
        [1, 0],
        [1, 1],
      ],
    ],
  },
  T: {
    aspect: 0.85,
    strokes: [
      [
        [0, 0],
        [1, 0],
      ],
      [
        [0.5, 0],
        [0.5, 1],
      ],
    ],
  },
  '%': {
    aspect: 0.85,
    strokes: [
      circle(0.22, 0.2, 0.17),
      circle(0.78, 0.8, 0.17),
      [
        [0.9, 0],
        [0.1, 1],
      ],
    ],
  },
  '&': {
    aspect: 0.8,
    strokes: [
      [
        [0.95, 1],
        [0.35, 0.45],
        [0.25, 0.22],
        [0.4, 0.03],
        [0.62, 0.08],
        [0.65, 0.28],
        [0.18, 0.62],
        [0.15, 0.85],
        [0.35, 1],
        [0.62, 0.95],
        [0.9, 0.55],
      ],
    ],
  },
};

function circle(cx: number, cy: number, r: number): Stroke {
  return Array.from({ length: 17 }, (_, k) => [
    cx + r * Math.cos((k * Math.PI) / 8),
    cy + r * Math.sin((k * Math.PI) / 8),
  ]);
}

/** Strokes (unit box scaled to width×height) drawn as round-capped lines `pen` pixels wide, anti-aliased. */
function drawStrokes(strokes: Stroke[], width: number, height: number, pen: number): GrayImage {
  const pixels = new Float32Array(width * height);
  const r = pen / 2;
  for (const stroke of strokes) {
    for (let k = 0; k + 1 < stroke.length; k++) {
      const [ax, ay] = [stroke[k][0] * (width - pen) + r, stroke[k][1] * (height - pen) + r];
      const [bx, by] = [stroke[k + 1][0] * (width - pen) + r, stroke[k + 1][1] * (height - pen) + r];
      const [dx, dy] = [bx - ax, by - ay];
      const length2 = dx * dx + dy * dy || 1;
      for (
        let y = Math.max(0, Math.floor(Math.min(ay, by) - r - 1));
        y <= Math.min(height - 1, Math.max(ay, by) + r + 1);
        y++
      ) {
        for (
          let x = Math.max(0, Math.floor(Math.min(ax, bx) - r - 1));
          x <= Math.min(width - 1, Math.max(ax, bx) + r + 1);
          x++
        ) {
          const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length2));
          const distance = Math.hypot(x - ax - t * dx, y - ay - t * dy);
          const v = Math.max(0, Math.min(1, r + 0.5 - distance));
          if (v > pixels[y * width + x]) pixels[y * width + x] = v;
        }
      }
    }
  }
  return { width, height, pixels };
}

/** Every point moved by up to ±amount (a hand never draws the same line twice). */
function wobble(strokes: Stroke[], amount: number, random: () => number): Stroke[] {
  return strokes.map((s) => s.map(([x, y]) => [x + (random() - 0.5) * 2 * amount, y + (random() - 0.5) * 2 * amount]));
}

/** MNIST test digits written in a row, `gap` (a fraction of a digit's side) apart. */
function digitRow(indices: number[], side: number, gap: number): GrayImage {
  // MNIST digits sit in a 20×20 box inside 28×28: the 4-pixel margins already part them a little.
  const step = Math.round(side * (1 + gap - 8 / 28));
  const width = step * (indices.length - 1) + side;
  const pixels = new Float32Array(width * side);
  indices.forEach((index, k) => {
    const ink = enlarge(mnistInk(index), side);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        pixels[y * width + k * step + x] = Math.max(pixels[y * width + k * step + x], ink[y * side + x]);
  });
  return { width, height: side, pixels };
}

/** RGBA bytes of a picture that is not one digit: a page with a letter, symbol, tangle, several digits, or nothing; or pure noise. */
export function renderNotADigit(kind: NotADigitKind, seed: number): RgbaBytes {
  const random = seededRandom(seed);
  const scene = sceneFor(random() < 0.5 ? 'gradient' : 'squared', random);
  const side = 130 + Math.floor(random() * 70);
  const handPen = side * (0.07 + 0.04 * random());
  switch (kind) {
    case 'letter-x':
    case 'letter-a': {
      const glyph = GLYPHS[kind === 'letter-x' ? 'X' : 'A'];
      const ink = drawStrokes(wobble(glyph.strokes, 0.07, random), Math.round(side * glyph.aspect), side, handPen);
      return paint(scene, ink, random);
    }
    case 'printed': {
      const names = ['A', 'M', 'T', '%', '&'] as const;
      const glyph = GLYPHS[names[seed % names.length]];
      return paint(scene, drawStrokes(glyph.strokes, Math.round(side * glyph.aspect), side, side * 0.09), random);
    }
    case 'tangle': {
      // A scribble: a random wandering line, or a word crossed out with a zigzag.
      const points: Stroke = [];
      let [x, y, heading] = [0.5, 0.5, random() * 2 * Math.PI];
      for (let k = 0; k < 25 + random() * 20; k++) {
        heading += (random() - 0.5) * 2.2;
        x = Math.max(0, Math.min(1, x + 0.18 * Math.cos(heading)));
        y = Math.max(0, Math.min(1, y + 0.18 * Math.sin(heading)));
        points.push([x, y]);
      }
      return paint(scene, drawStrokes([points], Math.round(side * 1.3), side, handPen * 0.6), random);
    }
    case 'blank':
      return paint(scene, { width: 1, height: 1, pixels: new Float32Array(1) }, random);
    case 'noise': {
      const { width, height } = scene;
      const rgba = new Uint8Array(width * height * 4);
      for (let i = 0; i < rgba.length; i++) rgba[i] = i % 4 === 3 ? 255 : Math.floor(random() * 256);
      return { width, height, rgba };
    }
    case 'two-digits':
      return paint(scene, digitRow([seed % 10000, (seed * 7 + 3) % 10000], side, 0.05 + 0.3 * random()), random);
    case 'year': {
      const indices = [0, 1, 2, 3].map((k) => (seed * 13 + k * 997) % 10000);
      return paint(scene, digitRow(indices, 80 + Math.floor(random() * 25), 0.05 + 0.2 * random()), random);
    }
  }
}

/** `count` pictures of each kind that is not one digit (PNG). */
export function writeNotADigits(
  dir: string,
  count: number,
  kinds: readonly NotADigitKind[] = NOT_A_DIGIT_KINDS,
): NotADigitFile[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: NotADigitFile[] = [];
  for (const kind of kinds) {
    for (let n = 0; n < count; n++) {
      const { width, height, rgba } = renderNotADigit(kind, 100 * NOT_A_DIGIT_KINDS.indexOf(kind) + n + 1);
      const file = path.join(dir, `not-a-digit-${kind}-${n}.png`);
      const png = new PNG({ width, height });
      png.data = Buffer.from(rgba);
      fs.writeFileSync(file, PNG.sync.write(png));
      out.push({ file, kind });
    }
  }
  return out;
}
