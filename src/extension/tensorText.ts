// How a tensor reads in the tree: a short description (dtype and shape) and a markdown tooltip with
// the figures the book looks at (ndim, shape, dtype) plus statistics and a histogram image.
import { formatBytes, formatCount, formatNumber, formatShape } from '../shared/format';
import type { DType, TensorSummary } from '../shared/protocol';

const BYTES_PER_ELEMENT: Record<DType, number> = { uint8: 1, int32: 4, float32: 4 };

export function tensorDescription(t: { dtype: DType; shape: readonly (number | null)[] }): string {
  return `${t.dtype} ${formatShape(t.shape)}`;
}

/** The tooltip's markdown; `histogramUri` is a data: URI of the histogram picture. */
export function tensorTooltipMarkdown(t: TensorSummary, histogramUri: string): string {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  const s = t.stats;
  const zeros = Math.round(s.zeroFraction * s.count);
  const bytes = elements * BYTES_PER_ELEMENT[t.dtype];
  const rows = [
    ['rank (ndim)', String(t.shape.length)],
    ['shape', formatShape(t.shape)],
    ['dtype', t.dtype],
    ['elements', formatCount(elements)],
    ['bytes', `${formatCount(bytes)} (${formatBytes(bytes)})`],
    ['min / max', `${formatNumber(s.min)} / ${formatNumber(s.max)}`],
    ['mean ± std', `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`],
    ['zeros', `${formatCount(zeros)} (${(s.zeroFraction * 100).toFixed(1)} %)`],
    ['NaN / ±Inf', `${s.nanCount} / ${s.infCount}`],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const histogram = `![histogram of ${t.name} from ${formatNumber(t.histogram.min)} to ${formatNumber(t.histogram.max)}](${histogramUri})`;
  const range = `${formatNumber(t.histogram.min)} … ${formatNumber(t.histogram.max)} (${t.histogram.counts.length} bins, log-scaled counts)`;
  return [`**${t.name}** — ${tensorDescription(t)}`, '', table, '', histogram, '', range].join('\n');
}
