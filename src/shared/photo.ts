// Photo-grade steps that find a handwritten digit on paper: find the paper lying on a desk, even
// out the lighting, pick an ink threshold from the picture itself, drop ruled/grid lines and folds,
// keep the digit's strokes and ignore specks, and straighten a tilted digit. Each step is a pure
// function on small typed arrays; the pipeline in preprocess.ts runs them on a picture already
// reduced to a working size.

/** An RGBA image, row-major; each channel in [0,1], not premultiplied. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width*height*4, each in [0,1], not premultiplied. */
  rgba: Float32Array;
}

/** A single-channel image, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

export interface Box {
  /** Inclusive left/top, exclusive right/bottom. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A binary image (1 = ink), row-major. */
export interface Mask {
  width: number;
  height: number;
  bits: Uint8Array;
}

/** One 8-connected group of ink pixels. */
export interface Component {
  label: number;
  area: number;
  box: Box;
}

/**
 * Is the paper lighter than the ink? Ink is the sparse part of the picture: once the slow changes of
 * lighting are taken away (the picture minus a heavy blur of it), it is the long tail that makes
 * the rest skewed: towards dark on light paper, towards light on a dark background.
 */
export function isLightBackground(image: GrayImage): boolean {
  const factor = Math.max(1, Math.ceil(Math.max(image.width, image.height) / 64));
  const smooth = upsampleBilinear(boxBlur(boxReduce(image, factor), 4), image.width, image.height, factor);
  let skew = 0;
  for (let i = 0; i < image.pixels.length; i++) skew += (image.pixels[i] - smooth.pixels[i]) ** 3;
  return skew <= 0;
}

/**
 * The paper's illumination: on a copy reduced so its longer side is about 64, a grey closing (max
 * then min filter) removes the dark strokes, a box blur smooths the result, and bilinear
 * interpolation brings it back to full size. Works on dark-ink-on-light images.
 */
export function estimateBackground(image: GrayImage, radius = 4): GrayImage {
  const factor = Math.max(1, Math.ceil(Math.max(image.width, image.height) / 64));
  const pad = radius + 2;
  const small = extendLinearly(boxReduce(image, factor), pad);
  const closed = rankFilter(rankFilter(small, radius, Math.max), radius, Math.min);
  const smooth = cropBorder(boxBlur(closed, 2), pad);
  return upsampleBilinear(smooth, image.width, image.height, factor);
}

/**
 * Grows the picture by `pad` on every side by point reflection (2·edge − mirror), which continues a
 * lighting gradient past the edge: filters near the edge then see the same slope as inside.
 */
export function extendLinearly(image: GrayImage, pad: number): GrayImage {
  const { width: w, height: h, pixels } = image;
  const width = w + 2 * pad;
  const height = h + 2 * pad;
  const reflect = (i: number, n: number): [number, number] =>
    i < 0 ? [0, Math.min(n - 1, -i)] : i >= n ? [n - 1, Math.max(0, 2 * (n - 1) - i)] : [i, i];
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const [ey, my] = reflect(y - pad, h);
    for (let x = 0; x < width; x++) {
      const [ex, mx] = reflect(x - pad, w);
      // Reflect through the edge point in each direction that is outside: v = 2·edge − mirrored.
      const edge = pixels[ey * w + ex];
      const mirrored = pixels[my * w + mx];
      const v = ex === x - pad && ey === y - pad ? edge : 2 * edge - mirrored;
      out[y * width + x] = Math.max(0, Math.min(1, v));
    }
  }
  return { width, height, pixels: out };
}

function cropBorder(image: GrayImage, pad: number): GrayImage {
  const width = image.width - 2 * pad;
  const height = image.height - 2 * pad;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    out.set(image.pixels.subarray((y + pad) * image.width + pad, (y + pad) * image.width + pad + width), y * width);
  return { width, height, pixels: out };
}

/** Neighbouring cells of one surface differ by less than this in log brightness (a soft shadow does)… */
const SURFACE_STEP_LOG = 0.3;
/** …and by less than this in chromaticity (r/(r+g+b), b/(r+g+b)): lighting changes brightness, not hue. */
const SURFACE_STEP_CHROMA = 0.03;
/**
 * A cell whose 3×3 neighbourhood spans more than this in log brightness (or twice the chroma step)
 * is on an edge between surfaces: a card against a table spans ≥ 1, a page against a desk more; a
 * shadow of direct sun (light × 0.55) spans 0.6 and a soft shadow or a fold's shaded side less, so
 * they stay inside the paper. No surface grows through an edge cell, so the mixed cells along a
 * slanted outline cannot lead from paper to desk in small steps.
 */
const EDGE_RANGE_LOG = 0.65;
/** A paper region covering at least this fraction of the picture is the whole picture. */
const WHOLE_PAPER = 0.93;
/**
 * A sheet fills at least this much of its bounding box (a card turned by 10° fills 85 %): a bold
 * white digit on black, which a skewed picture may pass off as light paper, fills far less.
 */
const SHEET_FILL = 0.65;
/** Smaller than this and it is no sheet of paper worth cutting the picture to. */
const MIN_PAPER = 0.12;

/**
 * The sheet of paper when it lies on something (a note on a desk, a card on a table, a page whose
 * edge is in view), as a mask at the picture's size; null when the paper is the whole picture. On
 * a copy reduced to about 128 cells with dark strokes closed away, cells join one surface while
 * neighbours change little in brightness and not in hue (lighting gradients and soft shadows
 * join; a paper's edge against a desk does not); the paper is the surface with the largest
 * area × brightness, with its holes (the ink) filled.
 */
export function findPaper(image: RgbaImage): Mask | null {
  const { width, height, rgba } = image;
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / 128));
  const channels = [0, 1, 2].map((c) => {
    const plane = new Float32Array(width * height);
    for (let i = 0; i < plane.length; i++) plane[i] = rgba[4 * i + c];
    return rankFilter(rankFilter(boxReduce({ width, height, pixels: plane }, factor), 2, Math.max), 2, Math.min);
  });
  const { width: w, height: h } = channels[0];
  const n = w * h;
  const logLuma = new Float32Array(n);
  const red = new Float32Array(n);
  const blue = new Float32Array(n);
  const luma = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = channels.map((c) => c.pixels[i]);
    const sum = r + g + b + 1e-3;
    luma[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    logLuma[i] = Math.log(Math.max(luma[i], 0.02));
    red[i] = r / sum;
    blue[i] = b / sum;
  }
  const range = (values: Float32Array): GrayImage => {
    const image = { width: w, height: h, pixels: values };
    const high = rankFilter(image, 1, Math.max).pixels;
    const low = rankFilter(image, 1, Math.min).pixels;
    return { width: w, height: h, pixels: high.map((v, i) => v - low[i]) };
  };
  const [lumaRange, redRange, blueRange] = [range(logLuma), range(red), range(blue)].map((r) => r.pixels);
  const edge = (p: number): boolean =>
    lumaRange[p] > EDGE_RANGE_LOG || redRange[p] > 2 * SURFACE_STEP_CHROMA || blueRange[p] > 2 * SURFACE_STEP_CHROMA;
  const joins = (p: number, q: number): boolean =>
    !edge(q) &&
    Math.abs(logLuma[p] - logLuma[q]) < SURFACE_STEP_LOG &&
    Math.abs(red[p] - red[q]) < SURFACE_STEP_CHROMA &&
    Math.abs(blue[p] - blue[q]) < SURFACE_STEP_CHROMA;
  const labels = new Int32Array(n);
  let best = { label: 0, score: 0 };
  for (let seed = 0, label = 0; seed < n; seed++) {
    if (labels[seed] || edge(seed)) continue;
    label++;
    labels[seed] = label;
    let brightness = 0;
    const stack = [seed];
    while (stack.length > 0) {
      const p = stack.pop() as number;
      brightness += luma[p];
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
        if (q < 0 || q >= n || labels[q] || !joins(p, q)) continue;
        labels[q] = label;
        stack.push(q);
      }
    }
    if (brightness > best.score) best = { label, score: brightness };
  }
  const inside = new Uint8Array(n);
  for (let i = 0; i < n; i++) inside[i] = labels[i] === best.label ? 1 : 0;
  const sheet = fillHoles({ width: w, height: h, bits: inside });
  const area = sheet.bits.reduce((a, b) => a + b, 0);
  if (area >= WHOLE_PAPER * n || area < MIN_PAPER * n || area < SHEET_FILL * boxArea(sheet)) return null;
  const bits = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      bits[y * width + x] = sheet.bits[Math.floor(y / factor) * w + Math.floor(x / factor)];
  return { width, height, bits };
}

function boxArea(mask: Mask): number {
  let [x0, y0, x1, y1] = [mask.width, mask.height, 0, 0];
  for (let y = 0; y < mask.height; y++)
    for (let x = 0; x < mask.width; x++)
      if (mask.bits[y * mask.width + x])
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
  return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
}

/** The mask with every region of 0s that does not reach the border (4-connected) turned to 1s. */
export function fillHoles(mask: Mask): Mask {
  const { width, height, bits } = mask;
  const outside = new Uint8Array(bits.length);
  const stack: number[] = [];
  for (let i = 0; i < bits.length; i++) {
    const x = i % width;
    const y = (i - x) / width;
    if (bits[i] || (x > 0 && y > 0 && x < width - 1 && y < height - 1)) continue;
    outside[i] = 1;
    stack.push(i);
  }
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const x = p % width;
    for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
      if (q < 0 || q >= bits.length || bits[q] || outside[q]) continue;
      outside[q] = 1;
      stack.push(q);
    }
  }
  return { width, height, bits: outside.map((v) => v ^ 1) };
}

/**
 * Ink after dividing out the background: 1 − pixel / paper, so a shadowed page reads as clean paper.
 * At most 1; paper lighter than its estimate goes below 0 (kept, so the paper's noise can be measured).
 */
export function divideBackground(image: GrayImage, background: GrayImage): GrayImage {
  const out = new Float32Array(image.pixels.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, 1 - image.pixels[i] / Math.max(background.pixels[i], 1e-3));
  return { width: image.width, height: image.height, pixels: out };
}

/** Otsu's threshold over 256 bins of [0,1]: the cut that best separates two classes of values. */
export function otsuThreshold(values: Float32Array): number {
  const bins = 256;
  const histogram = new Float64Array(bins);
  for (const v of values) histogram[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]++;
  let total = 0;
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    total += histogram[b];
    sum += b * histogram[b];
  }
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let cut = 0;
  for (let b = 0; b < bins - 1; b++) {
    below += histogram[b];
    belowSum += b * histogram[b];
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const between = below * above * (belowSum / below - (sum - belowSum) / above) ** 2;
    if (between > best) {
      best = between;
      cut = b;
    }
  }
  return (cut + 1) / bins;
}

export interface InkThresholds {
  low: number;
  high: number;
}

/**
 * Hysteresis thresholds for normalised ink: `high` is Otsu's cut between the paper and the ink, never
 * within the paper's own noise (median + 4σ, σ from the median absolute deviation) nor below 0.16 (the error of the background estimate);
 * `low` is half of it, never within the noise (median + 2.5σ), so faint pencil edges join strokes
 * that reach `high` while paper grain, which never does, stays out.
 */
export function inkThresholds(ink: GrayImage): InkThresholds {
  const median = histogramMedian(ink.pixels, -1, 1);
  const sigma =
    1.4826 *
    histogramMedian(
      ink.pixels.map((v) => Math.abs(v - median)),
      0,
      1,
    );
  const high = Math.max(otsuThreshold(ink.pixels), median + 4 * sigma, 0.16);
  const low = Math.max(high / 2, median + 2.5 * sigma, 0.08);
  return { low, high };
}

/** The median of values in [lo, hi], to 1/2048 of the range: a histogram, not a sort (this runs per photo). */
export function histogramMedian(values: Float32Array, lo: number, hi: number): number {
  const bins = 2048;
  const histogram = new Uint32Array(bins);
  const scale = bins / (hi - lo);
  for (const v of values) histogram[Math.max(0, Math.min(bins - 1, Math.floor((v - lo) * scale)))]++;
  let seen = 0;
  for (let b = 0; b < bins; b++) {
    seen += histogram[b];
    if (2 * seen >= values.length) return lo + (b + 0.5) / scale;
  }
  return hi;
}

/** Pixels ≥ low that are 8-connected to a pixel ≥ high. */
export function hysteresis(ink: GrayImage, { low, high }: InkThresholds): Mask {
  const { width, height, pixels } = ink;
  const bits = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i] < high || bits[i]) continue;
    bits[i] = 1;
    stack.push(i);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      forNeighbours(p, width, height, (q) => {
        if (!bits[q] && pixels[q] >= low) {
          bits[q] = 1;
          stack.push(q);
        }
      });
    }
  }
  return { width, height, bits };
}

/**
 * Ink pixels on long thin straight lines: rows (or columns) where the ink runs on, with gaps of at
 * most `gap` pixels, for at least `minFraction` of the picture's width (or height), and is at most `maxThickness` thick across the run at
 * that pixel. Ruled, grid and margin lines span the page; a digit's strokes do not, and where a
 * stroke crosses a line the ink is thick across it, so the crossing stays.
 */
export function longLines(mask: Mask, minFraction: number, maxThickness: number, gap = 2): Mask {
  const horizontal = linesAlong(mask, Math.ceil(minFraction * mask.width), maxThickness, gap);
  const vertical = transpose(linesAlong(transpose(mask), Math.ceil(minFraction * mask.height), maxThickness, gap));
  const bits = new Uint8Array(mask.bits.length);
  for (let i = 0; i < bits.length; i++) bits[i] = horizontal.bits[i] | vertical.bits[i];
  return { width: mask.width, height: mask.height, bits };
}

function linesAlong(mask: Mask, minLength: number, maxThickness: number, gap: number): Mask {
  const { width, height, bits } = mask;
  const out = new Uint8Array(bits.length);
  // A near-horizontal line steps between rows: a row counts as inked where it or a neighbour row is.
  const at = (x: number, y: number): number =>
    bits[y * width + x] | (y > 0 ? bits[(y - 1) * width + x] : 0) | (y < height - 1 ? bits[(y + 1) * width + x] : 0);
  for (let y = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      if (!at(x, y)) {
        x++;
        continue;
      }
      let end = x;
      let last = x;
      while (end < width && end - last <= gap + 1) {
        if (at(end, y)) last = end;
        end++;
      }
      if (last + 1 - x >= minLength) {
        for (let k = x; k <= last; k++) {
          const i = y * width + k;
          if (bits[i] && thicknessAcross(mask, k, y) <= maxThickness) out[i] = 1;
        }
      }
      x = last + 1;
    }
  }
  return { width, height, bits: out };
}

/** The length of the vertical run of ink through (x, y). */
function thicknessAcross(mask: Mask, x: number, y: number): number {
  const { width, height, bits } = mask;
  let top = y;
  while (top > 0 && bits[(top - 1) * width + x]) top--;
  let bottom = y;
  while (bottom < height - 1 && bits[(bottom + 1) * width + x]) bottom++;
  return bottom - top + 1;
}

/** A fold's run is thin (not a stroke's edge) along at least this fraction of its length. */
const THIN_ALONG = 0.5;
/** Angles the slanted-line search tries, over 180°. */
const LINE_ANGLES = 360;
/** Both ends of a fold lie within this fraction of the picture's longer side from its border. */
const FOLD_BORDER = 0.06;
/** Pictures smaller than this (longer side) are no photos of folded paper: no slanted-line search. */
const MIN_FOLD_PICTURE = 160;
/** Pictures inked over more than this fraction are noise, not paper with a fold: no line search. */
const MAX_INKED_FOR_LINES = 0.25;

/**
 * Ink pixels on long thin straight lines at any angle (a fold or crease of the paper, a slanted
 * rule): a Hough transform proposes lines, each is refined by a least-squares fit of the ink near
 * it and followed across the picture; where it runs on (gaps ≤ `gap`) for ≥ `minLength` / 2 pixels
 * from near the picture's border (a fold's far end may meet another fold), its
 * pixels that are at most `maxThickness` thick across the line are the line's. A digit's strokes are
 * shorter or thicker, and where one crosses the line the ink is thick across it, so it stays.
 */
export function slantedLines(mask: Mask, minLength: number, maxThickness: number, gap: number): Mask {
  const { width, height, bits } = mask;
  const out = new Uint8Array(bits.length);
  const points: number[] = [];
  for (let i = 0; i < bits.length; i++) if (bits[i]) points.push(i);
  if (
    Math.max(width, height) < MIN_FOLD_PICTURE ||
    points.length === 0 ||
    points.length > MAX_INKED_FOR_LINES * bits.length
  )
    return { width, height, bits: out };
  const diagonal = Math.ceil(Math.hypot(width, height));
  const span = 2 * diagonal + 1;
  const votes = new Int32Array(LINE_ANGLES * span);
  const cos = Float64Array.from({ length: LINE_ANGLES }, (_, a) => Math.cos((a * Math.PI) / LINE_ANGLES));
  const sin = Float64Array.from({ length: LINE_ANGLES }, (_, a) => Math.sin((a * Math.PI) / LINE_ANGLES));
  for (const p of points) {
    const x = p % width;
    const y = (p - x) / width;
    for (let a = 0; a < LINE_ANGLES; a++) votes[a * span + Math.round(x * cos[a] + y * sin[a]) + diagonal]++;
  }
  // Local maxima with the votes of a thin line of minLength / 2 (a thin line may split over two ρ cells).
  const candidates: { a: number; r: number; votes: number }[] = [];
  for (let a = 0; a < LINE_ANGLES; a++) {
    for (let r = 1; r < span - 1; r++) {
      const v = votes[a * span + r];
      if (v < minLength / 4) continue;
      let peak = true;
      for (let aa = Math.max(0, a - 2); aa <= Math.min(LINE_ANGLES - 1, a + 2) && peak; aa++)
        for (let rr = r - 2; rr <= r + 2 && peak; rr++) {
          if (rr < 0 || rr >= span || (aa === a && rr === r)) continue;
          const w = votes[aa * span + rr];
          peak = w < v || (w === v && aa * span + rr > a * span + r);
        }
      if (peak) candidates.push({ a, r, votes: v });
    }
  }
  candidates.sort((p, q) => q.votes - p.votes);
  for (const { a, r } of candidates.slice(0, 12)) {
    // Refined twice: the first fit may lean towards a stroke that touches the line.
    const rough = refineLine(mask, cos[a], sin[a], r - diagonal, 4);
    const line = rough && refineLine(mask, -rough.dy, rough.dx, -rough.dy * rough.px + rough.dx * rough.py, 2);
    if (line !== null) followLine(mask, line, minLength, maxThickness, gap, out);
  }
  return { width, height, bits: out };
}

interface Line {
  /** A point on the line and its unit direction. */
  px: number;
  py: number;
  dx: number;
  dy: number;
}

/** The total-least-squares line through the ink within `reach` pixels of x·cos + y·sin = rho. */
function refineLine(mask: Mask, cos: number, sin: number, rho: number, reach: number): Line | null {
  const { width, height, bits } = mask;
  let [n, sx, sy, sxx, syy, sxy] = [0, 0, 0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!bits[y * width + x] || Math.abs(x * cos + y * sin - rho) > reach) continue;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  if (n < 2) return null;
  const [mx, my] = [sx / n, sy / n];
  const [cxx, cyy, cxy] = [sxx / n - mx * mx, syy / n - my * my, sxy / n - mx * my];
  const angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  return { px: mx, py: my, dx: Math.cos(angle), dy: Math.sin(angle) };
}

/** Marks in `out` the thin ink of `line` along its runs of at least minLength / 2 that reach the border. */
function followLine(
  mask: Mask,
  line: Line,
  minLength: number,
  maxThickness: number,
  gap: number,
  out: Uint8Array,
): void {
  const { width, height, bits } = mask;
  const { px, py, dx, dy } = line;
  const [nx, ny] = [-dy, dx];
  const reach = Math.ceil(Math.hypot(width, height));
  const at = (x: number, y: number): number => {
    const [xi, yi] = [Math.round(x), Math.round(y)];
    return xi >= 0 && yi >= 0 && xi < width && yi < height ? bits[yi * width + xi] : 0;
  };
  const band = 2;
  // A fold runs across the sheet: the run reaches the picture's border (at the other end it may meet another fold).
  const margin = FOLD_BORDER * Math.max(width, height);
  const nearBorder = (x: number, y: number): boolean =>
    x < margin || y < margin || x >= width - 1 - margin || y >= height - 1 - margin;
  const inkAt = (t: number): boolean => {
    for (let s = -band; s <= band; s++) if (at(px + t * dx + s * nx, py + t * dy + s * ny)) return true;
    return false;
  };
  let t = -reach;
  while (t <= reach) {
    if (!inkAt(t)) {
      t++;
      continue;
    }
    const start = t;
    let last = t;
    while (t <= reach && t - last <= gap + 1) {
      if (inkAt(t)) last = t;
      t++;
    }
    if (
      last - start + 1 < minLength / 2 ||
      !(nearBorder(px + start * dx, py + start * dy) || nearBorder(px + last * dx, py + last * dy))
    )
      continue;
    const thin: number[] = [];
    let thinSteps = 0;
    for (let u = start; u <= last; u++) {
      const before = thin.length;
      for (let s = -band; s <= band; s++) {
        const [x, y] = [Math.round(px + u * dx + s * nx), Math.round(py + u * dy + s * ny)];
        if (x < 0 || y < 0 || x >= width || y >= height || !bits[y * width + x]) continue;
        // Thickness across the line through this pixel: ink on both sides along the normal.
        let thickness = 1;
        for (const sign of [-1, 1])
          for (let k = 1; k <= maxThickness && at(x + sign * k * nx, y + sign * k * ny); k++) thickness++;
        if (thickness <= maxThickness) thin.push(y * width + x);
      }
      if (thin.length > before) thinSteps++;
    }
    // A fold is thin along most of its run; a line through a thick digit only grazes a few edges.
    if (thinSteps >= THIN_ALONG * (last - start + 1)) for (const i of thin) out[i] = 1;
  }
}

export function transpose(mask: Mask): Mask {
  const { width, height, bits } = mask;
  const out = new Uint8Array(bits.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[x * height + y] = bits[y * width + x];
  return { width: height, height: width, bits: out };
}

/** mask AND NOT remove. */
export function subtract(mask: Mask, remove: Mask): Mask {
  const bits = new Uint8Array(mask.bits.length);
  for (let i = 0; i < bits.length; i++) bits[i] = mask.bits[i] & (remove.bits[i] ^ 1);
  return { width: mask.width, height: mask.height, bits };
}

/** 8-connected components: a label per pixel (0 = none, components 1…n) and each one's area and box. */
export function connectedComponents(mask: Mask): { labels: Int32Array; components: Component[] } {
  const { width, height, bits } = mask;
  const labels = new Int32Array(bits.length);
  const components: Component[] = [];
  const stack: number[] = [];
  for (let i = 0; i < bits.length; i++) {
    if (!bits[i] || labels[i]) continue;
    const label = components.length + 1;
    const c: Component = { label, area: 0, box: { x0: width, y0: height, x1: 0, y1: 0 } };
    labels[i] = label;
    stack.push(i);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % width;
      const y = (p - x) / width;
      c.area++;
      c.box.x0 = Math.min(c.box.x0, x);
      c.box.y0 = Math.min(c.box.y0, y);
      c.box.x1 = Math.max(c.box.x1, x + 1);
      c.box.y1 = Math.max(c.box.y1, y + 1);
      forNeighbours(p, width, height, (q) => {
        if (bits[q] && !labels[q]) {
          labels[q] = label;
          stack.push(q);
        }
      });
    }
    components.push(c);
  }
  return { labels, components };
}

export interface DigitGroup {
  /** Labels of the components that make up the digit. */
  labels: number[];
  box: Box;
  /** Components as large as a third of the digit's main stroke that lie apart from it: another digit, a word. */
  rivals: number;
  /** Components large enough to be strokes (not specks), in the whole picture. */
  strokes: number;
  /** Marks of the digit's height standing side by side within it (2 or more: a number, not a digit). */
  inRow: number;
}

/** Components smaller than this fraction of the largest are specks or grain, never a stroke. */
export const SPECK_FRACTION = 0.04;
/** A stroke belongs to the digit when its box lies within this fraction of the digit's size from the digit's box. */
const JOIN_DISTANCE = 0.3;

/**
 * The digit: the largest component plus every stroke-sized component near it (a 5's detached bar,
 * the dot of a broken 4), grown until nothing more joins. Specks and far-off marks are left out.
 */
export function chooseDigit(components: Component[]): DigitGroup | null {
  if (components.length === 0) return null;
  const largest = components.reduce((a, b) => (b.area > a.area ? b : a));
  const strokes = components.filter((c) => c.area >= SPECK_FRACTION * largest.area);
  const chosen = new Set([largest]);
  let box = { ...largest.box };
  for (let grown = true; grown;) {
    grown = false;
    const size = Math.max(box.x1 - box.x0, box.y1 - box.y0);
    for (const c of strokes) {
      if (chosen.has(c) || boxDistance(box, c.box) > JOIN_DISTANCE * size) continue;
      chosen.add(c);
      box = union(box, c.box);
      grown = true;
    }
  }
  const rivals = strokes.filter((c) => !chosen.has(c) && c.area >= largest.area / 3).length;
  return {
    labels: [...chosen].map((c) => c.label),
    box,
    rivals,
    strokes: strokes.length,
    inRow: marksInRow([...chosen], box),
  };
}

/** A mark at least this fraction of the group's height is digit-sized. */
const DIGIT_HEIGHT = 0.5;
/** Side-by-side marks make a number only in a group at least this wide for its height (a broken 4 is narrower). */
const ROW_ASPECT = 0.9;
/** One mark this much wider than tall is digits written touching (a year), not one digit. */
const TOUCHING_ASPECT = 1.8;

/**
 * How many digit-sized marks stand side by side in the group: its components merged into columns
 * where their horizontal extents overlap, counting the columns at least half the group's height.
 * A group much wider than tall counts as at least two (digits written touching).
 */
export function marksInRow(components: Component[], box: Box): number {
  const height = box.y1 - box.y0;
  const width = box.x1 - box.x0;
  if (width >= TOUCHING_ASPECT * height) return Math.max(2, Math.round(width / height));
  if (width < ROW_ASPECT * height) return 1;
  const columns: Box[] = [];
  for (const c of [...components].sort((a, b) => a.box.x0 - b.box.x0)) {
    const last = columns[columns.length - 1];
    if (last !== undefined && c.box.x0 < last.x1) columns[columns.length - 1] = union(last, c.box);
    else columns.push({ ...c.box });
  }
  return columns.filter((c) => c.y1 - c.y0 >= DIGIT_HEIGHT * height).length;
}

function boxDistance(a: Box, b: Box): number {
  const dx = Math.max(0, a.x0 - b.x1, b.x0 - a.x1);
  const dy = Math.max(0, a.y0 - b.y1, b.y0 - a.y1);
  return Math.hypot(dx, dy);
}

function union(a: Box, b: Box): Box {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/**
 * The digit's ink cropped to its box: pixels of the chosen components (and their one-pixel rim, for
 * the soft stroke edges) keep their ink, everything else becomes 0; the ink is stretched so the
 * digit's strong strokes (its 90th percentile) reach 1, as a pencil digit should look like a pen one.
 */
export function isolateDigit(ink: GrayImage, labels: Int32Array, group: DigitGroup): GrayImage {
  const { x0, y0, x1, y1 } = group.box;
  const width = x1 - x0;
  const height = y1 - y0;
  const keep = new Set(group.labels);
  const pixels = new Float32Array(width * height);
  const strokeValues: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let near = false;
      for (let dy = -1; dy <= 1 && !near; dy++) {
        for (let dx = -1; dx <= 1 && !near; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          near = yy >= 0 && xx >= 0 && yy < ink.height && xx < ink.width && keep.has(labels[yy * ink.width + xx]);
        }
      }
      if (!near) continue;
      const v = Math.max(0, ink.pixels[y * ink.width + x]);
      pixels[(y - y0) * width + (x - x0)] = v;
      if (keep.has(labels[y * ink.width + x])) strokeValues.push(v);
    }
  }
  strokeValues.sort((a, b) => a - b);
  const strong = strokeValues[Math.floor(0.9 * (strokeValues.length - 1))] ?? 1;
  if (strong > 0) for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, pixels[i] / strong);
  return { width, height, pixels };
}

/** The maximum tilt deskew corrects: beyond it a digit is more likely written slanted than photographed tilted. */
export const MAX_DESKEW_DEGREES = 15;

/**
 * The digit's tilt from upright, from its second moments: the shear x ≈ x₀ + s·(y − ȳ) that best
 * explains the ink (s = μ₁₁ / μ₀₂), as an angle, limited to ±MAX_DESKEW_DEGREES.
 */
export function skewAngle(image: GrayImage): number {
  const { width, height, pixels } = image;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  if (mass === 0) return 0;
  mx /= mass;
  my /= mass;
  let mu11 = 0;
  let mu02 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      mu11 += v * (x - mx) * (y - my);
      mu02 += v * (y - my) ** 2;
    }
  }
  if (mu02 === 0) return 0;
  const degrees = (Math.atan(mu11 / mu02) * 180) / Math.PI;
  return Math.max(-MAX_DESKEW_DEGREES, Math.min(MAX_DESKEW_DEGREES, degrees));
}

/**
 * Rotates the ink by `degrees` about its centre (positive: counter-clockwise as seen), bilinear,
 * on a canvas grown to hold the whole rotated picture.
 */
export function rotate(image: GrayImage, degrees: number): GrayImage {
  if (degrees === 0) return image;
  const { width: w, height: h, pixels } = image;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const width = Math.ceil(Math.abs(w * cos) + Math.abs(h * sin));
  const height = Math.ceil(Math.abs(w * sin) + Math.abs(h * cos));
  const out = new Float32Array(width * height);
  const [cx, cy, ox, oy] = [(w - 1) / 2, (h - 1) / 2, (width - 1) / 2, (height - 1) / 2];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse map: the source point that lands on (x, y). Image y points down, so "counter-clockwise as seen" flips sin.
      const sx = cos * (x - ox) - sin * (y - oy) + cx;
      const sy = sin * (x - ox) + cos * (y - oy) + cy;
      out[y * width + x] = bilinear(pixels, w, h, sx, sy);
    }
  }
  return { width, height, pixels: out };
}

function bilinear(pixels: Float32Array, w: number, h: number, x: number, y: number): number {
  if (x <= -1 || y <= -1 || x >= w || y >= h) return 0;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number): number => (xx >= 0 && yy >= 0 && xx < w && yy < h ? pixels[yy * w + xx] : 0);
  return (
    (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
    fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1))
  );
}

/** The tight box of non-zero ink, cropped (rotation leaves empty margins). */
export function trim(image: GrayImage, threshold = 0.05): GrayImage {
  const { width, height, pixels } = image;
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] < threshold) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  if (x1 <= x0) return image;
  const out = new Float32Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++) out.set(pixels.subarray(y * width + x0, y * width + x1), (y - y0) * (x1 - x0));
  return { width: x1 - x0, height: y1 - y0, pixels: out };
}

/** Mean of each factor×factor block (partial blocks at the edges average what they have). */
export function boxReduce(image: GrayImage, factor: number): GrayImage {
  if (factor <= 1) return image;
  const width = Math.ceil(image.width / factor);
  const height = Math.ceil(image.height / factor);
  const sums = new Float32Array(width * height);
  const counts = new Float32Array(width * height);
  for (let y = 0; y < image.height; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < image.width; x++) {
      const o = row + Math.floor(x / factor);
      sums[o] += image.pixels[y * image.width + x];
      counts[o]++;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] /= counts[i];
  return { width, height, pixels: sums };
}

/** Each pixel becomes pick(…) of its (2r+1)² square (Math.max: dilation, Math.min: erosion), edges clamped. */
export function rankFilter(image: GrayImage, radius: number, pick: (a: number, b: number) => number): GrayImage {
  const { width, height, pixels } = image;
  const across = new Float32Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = pixels[y * width + x];
      for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius); k++)
        v = pick(v, pixels[y * width + k]);
      across[y * width + x] = v;
    }
  }
  const out = new Float32Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = across[y * width + x];
      for (let k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius); k++)
        v = pick(v, across[k * width + x]);
      out[y * width + x] = v;
    }
  }
  return { width, height, pixels: out };
}

/** Mean over a (2r+1)² square, edges clamped. */
export function boxBlur(image: GrayImage, radius: number): GrayImage {
  const { width, height, pixels } = image;
  const out = new Float32Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) {
        for (let xx = Math.max(0, x - radius); xx <= Math.min(width - 1, x + radius); xx++) {
          sum += pixels[yy * width + xx];
          count++;
        }
      }
      out[y * width + x] = sum / count;
    }
  }
  return { width, height, pixels: out };
}

/** Bilinear enlargement of an image that boxReduce shrank by `factor` back to width×height. */
export function upsampleBilinear(small: GrayImage, width: number, height: number, factor: number): GrayImage {
  if (small.width === width && small.height === height) return small;
  const out = new Float32Array(width * height);
  const clampX = (v: number): number => Math.max(0, Math.min(small.width - 1, v));
  const clampY = (v: number): number => Math.max(0, Math.min(small.height - 1, v));
  for (let y = 0; y < height; y++) {
    const sy = clampY((y + 0.5) / factor - 0.5);
    const y0 = Math.floor(sy);
    const y1 = clampY(y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = clampX((x + 0.5) / factor - 0.5);
      const x0 = Math.floor(sx);
      const x1 = clampX(x0 + 1);
      const fx = sx - x0;
      const p = small.pixels;
      const w = small.width;
      out[y * width + x] =
        (1 - fy) * ((1 - fx) * p[y0 * w + x0] + fx * p[y0 * w + x1]) +
        fy * ((1 - fx) * p[y1 * w + x0] + fx * p[y1 * w + x1]);
    }
  }
  return { width, height, pixels: out };
}

function forNeighbours(p: number, width: number, height: number, visit: (q: number) => void): void {
  const x = p % width;
  const y = (p - x) / width;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if ((dx !== 0 || dy !== 0) && xx >= 0 && xx < width) visit(yy * width + xx);
    }
  }
}
