// How a tensor reads in the tree: a short description (dtype and shape) and a markdown tooltip with
// the figures the book looks at (ndim, shape, dtype) plus statistics and a histogram image. Tensor
// Lens' own tensors and a Keras run's weights (any dtype Keras names) read alike.
import { formatBytes, formatCount, formatNumber, formatShape } from '../shared/format';
import { oneLine } from '../shared/errors';
import type { TensorSummary } from '../shared/protocol';

/** A tensor as the tree shows it: the dtype as its framework names it (`float32`, `int64`, `bfloat16`). */
export type ShownTensor = Omit<TensorSummary, 'dtype'> & {
  dtype: string;
  /** How many values the histogram counted, when a writer sampled them (a Keras snapshot's `sampled`). */
  sampled?: number;
};

/** Bytes per element from the dtype's name (`float16` → 2, `bool` → 1); null when the name does not say. */
export function bytesPerElement(dtype: string): number | null {
  if (dtype === 'bool') return 1;
  const bits = /^(?:b?float|u?int|complex)(\d+)$/.exec(dtype)?.[1];
  return bits === undefined ? null : Number(bits) / 8;
}

/** `text` as literal markdown: a name from a workspace's file cannot add a link, an image or a table cell. */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*{}[\]()#!|<>~]/g, '\\$&');
}

export function tensorDescription(t: { dtype: string; shape: readonly (number | null)[] }): string {
  return `${t.dtype} ${formatShape(t.shape)}`;
}

/** The tooltip's markdown; `histogramUri` is a data: URI of the histogram picture. */
export function tensorTooltipMarkdown(t: ShownTensor, histogramUri: string): string {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  const s = t.stats;
  const zeros = Math.round(s.zeroFraction * s.count);
  const size = bytesPerElement(t.dtype);
  const bytes = size === null ? null : elements * size;
  const rows = [
    ['rank (ndim)', String(t.shape.length)],
    ['shape', formatShape(t.shape)],
    ['dtype', markdownText(t.dtype)],
    ['elements', formatCount(elements)],
    ['bytes', bytes === null ? '—' : `${formatCount(bytes)} (${formatBytes(bytes)})`],
    ['min / max', `${formatNumber(s.min)} / ${formatNumber(s.max)}`],
    ['mean ± std', `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`],
    ['zeros', `${formatCount(zeros)} (${(s.zeroFraction * 100).toFixed(1)} %)`],
    ['NaN / ±Inf', `${s.nanCount} / ${s.infCount}`],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const name = markdownText(t.name);
  const histogram = `![histogram of ${name} from ${formatNumber(t.histogram.min)} to ${formatNumber(t.histogram.max)}](${histogramUri})`;
  const counted =
    t.sampled !== undefined && t.sampled < s.count ? `, ${formatCount(t.sampled)} of the values sampled` : '';
  const range = `${formatNumber(t.histogram.min)} … ${formatNumber(t.histogram.max)} (${t.histogram.counts.length} bins, log-scaled counts${counted})`;
  return [`**${name}** — ${markdownText(tensorDescription(t))}`, '', table, '', histogram, '', range].join('\n');
}
