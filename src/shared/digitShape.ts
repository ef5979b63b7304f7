// The shape of a mark, as topology: how many holes it encloses, and the ends and forks of its
// skeleton. Each digit has only a few shapes ("an 8: two holes, no ends"; "a 1: no hole, two ends"):
// a letter X read as an 8 (no hole, four ends, a crossing) has a shape no written 8 has.
import { MNIST_SIDE } from './mnist';
import { TRAINING_SHAPES } from './digitShapeTable';

/** A binary picture (1 = ink), row-major. */
export interface InkGrid {
  width: number;
  height: number;
  bits: Uint8Array;
}

/** Ink above this level (inputs in [0,1]) is a stroke. */
export const SHAPE_INK_LEVEL = 0.4;

/** Background pockets smaller than this many pixels are gaps in a stroke, not holes. */
export const MIN_HOLE_PIXELS = 2;

export interface ShapeCounts {
  holes: number;
  endpoints: number;
  junctions: number;
}

/** The input (in [0,1]; bytes with scale 255) as ink where it is above SHAPE_INK_LEVEL. */
export function inkGrid(input: ArrayLike<number>, width: number, height: number, scale = 1): InkGrid {
  const bits = new Uint8Array(width * height);
  for (let i = 0; i < bits.length; i++) bits[i] = input[i] > SHAPE_INK_LEVEL * scale ? 1 : 0;
  return { width, height, bits };
}

const NEIGHBOURS_4 = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/**
 * Background regions (4-connected, the dual of 8-connected ink) that do not reach the border and
 * have at least MIN_HOLE_PIXELS pixels: the loops of an 0, 6, 8, 9, the closed top of a 4.
 */
export function countHoles(grid: InkGrid): number {
  const { width, height, bits } = grid;
  const seen = new Uint8Array(bits.length);
  const stack: number[] = [];
  let holes = 0;
  for (let start = 0; start < bits.length; start++) {
    if (bits[start] === 1 || seen[start] === 1) continue;
    let size = 0;
    let border = false;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      size++;
      const x = i % width;
      const y = (i - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) border = true;
      for (const [dx, dy] of NEIGHBOURS_4) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (bits[j] === 0 && seen[j] === 0) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    if (!border && size >= MIN_HOLE_PIXELS) holes++;
  }
  return holes;
}

/** The 8 neighbours clockwise from north: P2..P9 in Zhang and Suen's naming. */
const RING = [
  [0, -1],
  [1, -1],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
] as const;

function ring(bits: Uint8Array, width: number, height: number, x: number, y: number): number[] {
  return RING.map(([dx, dy]) => {
    const nx = x + dx;
    const ny = y + dy;
    return nx < 0 || ny < 0 || nx >= width || ny >= height ? 0 : bits[ny * width + nx];
  });
}

/** 0→1 changes going once round the ring: the number of separate strokes that meet at a pixel. */
function crossings(p: number[]): number {
  let n = 0;
  for (let k = 0; k < 8; k++) if (p[k] === 0 && p[(k + 1) % 8] === 1) n++;
  return n;
}

/**
 * The strokes thinned to one pixel wide, their ends and joins kept (Guo–Hall thinning: unlike
 * Zhang–Suen it sees 8-connected neighbours, so a two-pixel-wide slanted stroke keeps its length).
 */
export function skeleton(grid: InkGrid): InkGrid {
  const { width, height } = grid;
  const bits = Uint8Array.from(grid.bits);
  let changed = true;
  while (changed) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = y * width + x;
          if (bits[i] === 0) continue;
          // n, ne, e, se, s, sw, w, nw
          const [p2, p3, p4, p5, p6, p7, p8, p9] = ring(bits, width, height, x, y);
          // Separate groups of ink around the pixel (8-connected): 1 = removing it cuts nothing.
          const groups = (1 - p2) * (p3 | p4) + (1 - p4) * (p5 | p6) + (1 - p6) * (p7 | p8) + (1 - p8) * (p9 | p2);
          const n1 = (p9 | p2) + (p3 | p4) + (p5 | p6) + (p7 | p8);
          const n2 = (p2 | p3) + (p4 | p5) + (p6 | p7) + (p8 | p9);
          const neighbours = Math.min(n1, n2);
          const side = pass === 0 ? (p6 | p7 | (1 - p9)) & p8 : (p2 | p3 | (1 - p5)) & p4;
          if (groups === 1 && neighbours >= 2 && neighbours <= 3 && side === 0) remove.push(i);
        }
      }
      for (const i of remove) bits[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
  return { width, height, bits };
}

/**
 * Ends (a skeleton pixel with one neighbour) and junctions (where three or more strokes meet; the
 * pixels of one fork, next to each other, count once) of a one-pixel-wide skeleton.
 */
export function skeletonPoints(thin: InkGrid): { endpoints: number; junctions: number } {
  const { width, height, bits } = thin;
  const fork = new Uint8Array(bits.length);
  let endpoints = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (bits[y * width + x] === 0) continue;
      const p = ring(bits, width, height, x, y);
      const count = p.reduce((a, b) => a + b, 0);
      if (count === 1) endpoints++;
      else if (crossings(p) >= 3 || count >= 4) fork[y * width + x] = 1;
    }
  }
  // One fork often spans two or three pixels: count 8-connected groups of fork pixels.
  let junctions = 0;
  const stack: number[] = [];
  for (let start = 0; start < fork.length; start++) {
    if (fork[start] === 0) continue;
    junctions++;
    fork[start] = 0;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i - x) / width;
      for (const [dx, dy] of RING) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (fork[j] === 1) {
          fork[j] = 0;
          stack.push(j);
        }
      }
    }
  }
  return { endpoints, junctions };
}

/**
 * The MNIST steps scale a digit's box to 20 pixels on its longer side, and a digit's strong strokes
 * fill it: a strong-ink span shorter than this means most of the box is faint marks kept with the
 * strokes (specks, remnants of lines), and the strokes sit small in a corner of the input. Measured
 * by \`node --import tsx scripts/calibrateDigitLikeness.ts\`: 1 of the 10,000 MNIST test digits (and
 * 27 of the 60,000 training digits) spans less.
 */
export const MIN_INK_SPAN = 17;

/** The longer side of the box around the ink above SHAPE_INK_LEVEL (0 without ink). */
export function inkSpan(grid: InkGrid): number {
  const { width, height, bits } = grid;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] === 0) continue;
    const x = i % width;
    const y = (i - x) / width;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return x1 < 0 ? 0 : Math.max(x1 - x0, y1 - y0) + 1;
}

/** inkSpan of a 28×28 input in [0,1] (bytes with scale 255). */
export function inputInkSpan(input: ArrayLike<number>, scale = 1): number {
  return inkSpan(inkGrid(input, MNIST_SIDE, MNIST_SIDE, scale));
}

/** Holes, skeleton ends and junctions of a picture's ink. */
export function shapeCounts(grid: InkGrid): ShapeCounts {
  return { holes: countHoles(grid), ...skeletonPoints(skeleton(grid)) };
}

/**
 * The counts as one word, capped (3 holes, 6 ends, 5 junctions: beyond that a digit is a scribble
 * anyway), e.g. "2h0e1j": the key of TRAINING_SHAPES.
 */
export function shapeKey(counts: ShapeCounts): string {
  return `${Math.min(counts.holes, 3)}h${Math.min(counts.endpoints, 6)}e${Math.min(counts.junctions, 5)}j`;
}

/** The shape of a 28×28 input in [0,1] (bytes with scale 255). */
export function inputShape(input: ArrayLike<number>, scale = 1): ShapeCounts {
  return shapeCounts(inkGrid(input, MNIST_SIDE, MNIST_SIDE, scale));
}

/**
 * A shape that at most this many training digits of the class the model reads have is "not a shape
 * that digit has". 0: none of them. Measured with the default 5-epoch model by
 * `node --import tsx scripts/calibrateDigitLikeness.ts`: alone it flags 23 of the 10,000 MNIST test
 * digits (0.23 %); with NOT_A_DIGIT_DISTANCE, 74 (0.74 %).
 */
export const UNSEEN_SHAPE_AT_MOST = 0;

/**
 * The input's shape when no more than UNSEEN_SHAPE_AT_MOST training digits of class `digit` have it
 * (an X read as an 8: no hole, four ends), else null. `table` is TRAINING_SHAPES or one like it.
 */
export function unseenShape(
  input: ArrayLike<number>,
  digit: number,
  table: readonly Readonly<Record<string, number>>[] = TRAINING_SHAPES,
): ShapeCounts | null {
  const counts = inputShape(input);
  return (table[digit]?.[shapeKey(counts)] ?? 0) <= UNSEEN_SHAPE_AT_MOST ? counts : null;
}
