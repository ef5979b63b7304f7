// Sample images in fixed pages, asked from the host once and kept (least recently used pages go
// first), so scrolling back and forth never asks twice for what is still held.
import { MAX_SAMPLES_PER_REQUEST, type Split } from '../../shared/webviewProtocol';
import { MNIST_PIXELS } from '../../shared/mnist';

export const PAGE_SIZE = Math.min(500, MAX_SAMPLES_PER_REQUEST);

export class SampleCache {
  private readonly pages = new Map<string, Uint8Array>();
  private readonly pending = new Set<string>();

  constructor(private readonly maxPages = 48) {}

  /** The 784 pixels of a sample, or null while its page is not here. */
  pixels(split: Split, index: number): Uint8Array | null {
    const key = `${split}:${Math.floor(index / PAGE_SIZE)}`;
    const page = this.pages.get(key);
    if (!page) return null;
    this.pages.delete(key);
    this.pages.set(key, page);
    const offset = (index % PAGE_SIZE) * MNIST_PIXELS;
    return page.subarray(offset, offset + MNIST_PIXELS);
  }

  /** Pages needed for these samples that are neither held nor already asked for; marks them asked. */
  request(split: Split, indices: Iterable<number>, count: number): { start: number; count: number }[] {
    const wanted: { start: number; count: number }[] = [];
    for (const index of indices) {
      const page = Math.floor(index / PAGE_SIZE);
      const key = `${split}:${page}`;
      if (this.pages.has(key) || this.pending.has(key)) continue;
      this.pending.add(key);
      const start = page * PAGE_SIZE;
      wanted.push({ start, count: Math.min(PAGE_SIZE, count - start) });
    }
    return wanted;
  }

  /** Stores a page that arrived (a samples message aligned on a page). */
  store(split: Split, start: number, images: Uint8Array): void {
    if (start % PAGE_SIZE !== 0) return;
    const key = `${split}:${start / PAGE_SIZE}`;
    this.pending.delete(key);
    this.pages.set(key, images);
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }
}
