// Which parts of the dashboard are on screen (or about to be): charts and histograms are made and
// redrawn only there, so a section scrolled away costs nothing while batches stream in, and the
// first paint pays only for what it shows. Whatever scrolls into view is brought up to date then.

/** How far outside the viewport a part still counts as visible (CSS pixels), so it is ready when scrolled to. */
const MARGIN = 200;

export class Visibility {
  private readonly near = new Map<Element, boolean>();
  private readonly observer: IntersectionObserver | null;

  /** `onShow` runs when a watched element comes near the viewport (the caller re-renders). */
  constructor(onShow: () => void) {
    this.observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver(
            (entries) => {
              let shown = false;
              for (const entry of entries) {
                // The first report counts too: a part skipped before it (a restored scroll) needs drawing.
                if (entry.isIntersecting && this.near.get(entry.target) !== true) shown = true;
                this.near.set(entry.target, entry.isIntersecting);
              }
              if (shown) onShow();
            },
            { rootMargin: `${MARGIN}px 0px` },
          )
        : null;
  }

  watch(element: Element): void {
    this.observer?.observe(element);
  }

  /** Whether the element is on screen or within MARGIN of it. Until the observer has reported
   *  (the first frame), the answer is measured here, so the first paint shows what is on screen. */
  isNear(element: Element): boolean {
    const known = this.near.get(element);
    if (known !== undefined) return known;
    if (!this.observer) return true;
    const box = element.getBoundingClientRect();
    return box.bottom >= -MARGIN && box.top <= window.innerHeight + MARGIN;
  }
}
