// A chart's legend as HTML over the canvas, in place of Chart.js's: Chart.js rebuilds, measures and
// draws its legend on every update (about a tenth of a live batch update), this one is made once.
// A click hides or shows its series, as Chart.js's legend does.
import { h } from '../common/dom';
import { t } from '../common/strings';

export interface LegendSeries {
  label: string;
  dashed?: boolean;
}

/** Chart.js leaves out a plugin whose options are `false` (its types only know option objects);
 *  `legend: { display: false }` would still build the legend's labels on every update. */
export const PLUGIN_OFF = false as never;

/** Room the legend takes at the top of the chart (CSS pixels), left free by the chart's layout padding. */
export const LEGEND_HEIGHT = 24;

export class ChartLegend {
  private readonly buttons: HTMLButtonElement[];
  private readonly swatches: HTMLElement[];
  readonly hidden: boolean[];

  constructor(container: HTMLElement, series: LegendSeries[], onToggle: (index: number, hidden: boolean) => void) {
    this.hidden = series.map(() => false);
    this.swatches = [];
    this.buttons = series.map((s, i) => {
      const swatch = h('span', { class: s.dashed ? 'swatch dashed' : 'swatch' });
      this.swatches.push(swatch);
      const button = h(
        'button',
        { type: 'button', 'aria-pressed': 'true', title: t('dashboard.toggleSeries', s.label) },
        swatch,
        s.label,
      );
      button.addEventListener('click', () => {
        this.hidden[i] = !this.hidden[i];
        button.setAttribute('aria-pressed', String(!this.hidden[i]));
        onToggle(i, this.hidden[i]);
      });
      return button;
    });
    container.prepend(h('div', { class: 'chart-legend' }, ...this.buttons));
  }

  /** Swatch colours, one CSS colour per series (set through the CSSOM, which the CSP allows). */
  setColors(colors: string[]): void {
    colors.forEach((c, i) => (this.swatches[i].style.borderTopColor = c));
  }
}
