// A small software 2D context for happy-dom (which draws nothing without a canvas adapter): the
// calls the panels make (fillRect, strokeRect, round-capped line strokes, image data in and out),
// rasterised into a real RGBA buffer the tests can read back. Colours only as the panels write
// them (#rgb, #rrggbb, rgb(), rgba()); no antialiasing, no transforms, alpha replaces.
import type { ICanvasAdapter } from 'happy-dom';
import { parseColor } from '../../../src/webview/common/color';

interface Canvas {
  width: number;
  height: number;
}

interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

class RasterContext {
  fillStyle = '#000';
  strokeStyle = '#000';
  lineWidth = 1;
  lineCap = 'butt';
  lineJoin = 'miter';
  private pixels: Pixels = { width: 0, height: 0, data: new Uint8ClampedArray(0) };
  private path: { x: number; y: number }[][] = [];

  constructor(readonly canvas: Canvas) {}

  /** The buffer, cleared whenever the canvas was resized (as a browser does). */
  private buffer(): Pixels {
    const { width, height } = this.canvas;
    if (this.pixels.width !== width || this.pixels.height !== height)
      this.pixels = { width, height, data: new Uint8ClampedArray(width * height * 4) };
    return this.pixels;
  }

  private plot(x: number, y: number, css: string): void {
    const p = this.buffer();
    const color = parseColor(css);
    if (!color || x < 0 || y < 0 || x >= p.width || y >= p.height) return;
    p.data.set([color[0], color[1], color[2], Math.round(color[3] * 255)], (y * p.width + x) * 4);
  }

  /** Pixels whose centres fall inside [x, x+w) × [y, y+h). */
  /** Only the identity (a device pixel ratio of 1, as happy-dom's): this context draws no transforms. */
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void {
    if (a !== 1 || b !== 0 || c !== 0 || d !== 1 || e !== 0 || f !== 0)
      throw new Error(`the raster canvas draws no transforms (setTransform ${[a, b, c, d, e, f].join(', ')})`);
  }

  clearRect(x: number, y: number, w: number, h: number): void {
    const p = this.buffer();
    for (let py = Math.max(0, Math.ceil(y - 0.5)); py + 0.5 < y + h && py < p.height; py++)
      for (let px = Math.max(0, Math.ceil(x - 0.5)); px + 0.5 < x + w && px < p.width; px++)
        p.data.fill(0, (py * p.width + px) * 4, (py * p.width + px + 1) * 4);
  }

  fillRect(x: number, y: number, w: number, h: number): void {
    for (let py = Math.ceil(y - 0.5); py + 0.5 < y + h; py++)
      for (let px = Math.ceil(x - 0.5); px + 0.5 < x + w; px++) this.plot(px, py, this.fillStyle);
  }

  /** The outline as four filled bands lineWidth wide, centred on the edges. */
  strokeRect(x: number, y: number, w: number, h: number): void {
    const fill = this.fillStyle;
    const half = this.lineWidth / 2;
    this.fillStyle = this.strokeStyle;
    this.fillRect(x - half, y - half, w + 2 * half, 2 * half);
    this.fillRect(x - half, y + h - half, w + 2 * half, 2 * half);
    this.fillRect(x - half, y - half, 2 * half, h + 2 * half);
    this.fillRect(x + w - half, y - half, 2 * half, h + 2 * half);
    this.fillStyle = fill;
  }

  beginPath(): void {
    this.path = [];
  }
  moveTo(x: number, y: number): void {
    this.path.push([{ x, y }]);
  }
  lineTo(x: number, y: number): void {
    (this.path.at(-1) ?? (this.path[0] = [])).push({ x, y });
  }
  stroke(): void {
    for (const sub of this.path) {
      if (sub.length === 1) this.segment(sub[0], sub[0]);
      for (let i = 1; i < sub.length; i++) this.segment(sub[i - 1], sub[i]);
    }
  }

  /** Pixels whose centres lie within lineWidth/2 of the segment: a round-capped line (the pad's only kind). */
  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const half = this.lineWidth / 2;
    const p = this.buffer();
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length2 = dx * dx + dy * dy;
    for (let py = 0; py < p.height; py++)
      for (let px = 0; px < p.width; px++) {
        const cx = px + 0.5;
        const cy = py + 0.5;
        const raw = length2 === 0 ? 0 : ((cx - a.x) * dx + (cy - a.y) * dy) / length2;
        const t = Math.min(1, Math.max(0, raw));
        if (Math.hypot(cx - (a.x + t * dx), cy - (a.y + t * dy)) <= half) this.plot(px, py, this.strokeStyle);
      }
  }

  createImageData(width: number, height: number): Pixels {
    return { width, height, data: new Uint8ClampedArray(width * height * 4) };
  }

  getImageData(x: number, y: number, width: number, height: number): Pixels {
    const p = this.buffer();
    const out = this.createImageData(width, height);
    for (let row = 0; row < height; row++)
      for (let col = 0; col < width; col++) {
        const from = ((y + row) * p.width + x + col) * 4;
        out.data.set(p.data.subarray(from, from + 4), (row * width + col) * 4);
      }
    return out;
  }

  putImageData(image: Pixels, x: number, y: number): void {
    const p = this.buffer();
    for (let row = 0; row < image.height; row++)
      for (let col = 0; col < image.width; col++) {
        const from = (row * image.width + col) * 4;
        p.data.set(image.data.subarray(from, from + 4), ((y + row) * p.width + x + col) * 4);
      }
  }
}

/** One RasterContext per canvas, kept across getContext calls like a browser's. */
export function rasterCanvasAdapter(): ICanvasAdapter {
  const contexts = new WeakMap<object, RasterContext>();
  return {
    getContext(caller, contextType) {
      if (contextType !== '2d') return null;
      let context = contexts.get(caller.canvas);
      if (!context) contexts.set(caller.canvas, (context = new RasterContext(caller.canvas)));
      return context as unknown as ReturnType<ICanvasAdapter['getContext']>;
    },
    toDataURL: () => 'data:,',
    toBlob: (_caller, callback) => callback(null),
  };
}
