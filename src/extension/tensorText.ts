// How a tensor reads in the tree: a short description (dtype and shape) and a markdown tooltip with
// the figures the book looks at (ndim, shape, dtype) plus statistics and a histogram image. Tensor
// Lens' own tensors and a Keras run's weights (any dtype Keras names) read alike.
import { formatBytes, formatCount, formatNumber, formatShape } from '../shared/format';
import { oneLine } from '../shared/errors';
import type { TensorSummary } from '../shared/protocol';
import { formatString } from '../shared/webviewStrings';

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

/** The tooltip's words; the host passes them in the display language (placeholders {0}, {1}…). */
export interface TensorWords {
  rank: string;
  shape: string;
  dtype: string;
  elements: string;
  bytes: string;
  minMax: string;
  meanStd: string;
  zeros: string;
  nanInf: string;
  /** The picture's text: the tensor's name, the histogram's lowest and highest value. */
  histogramAlt: string;
  /** Under the picture: the number of bins, then `sampled` when a writer sampled the values (else nothing). */
  bins: string;
  /** How many values the histogram counted. */
  sampled: string;
}

export const ENGLISH_TENSOR_WORDS: TensorWords = {
  rank: 'rank (ndim)',
  shape: 'shape',
  dtype: 'dtype',
  elements: 'elements',
  bytes: 'bytes',
  minMax: 'min / max',
  meanStd: 'mean ± std',
  zeros: 'zeros',
  nanInf: 'NaN / ±Inf',
  histogramAlt: 'histogram of {0} from {1} to {2}',
  bins: '{0} bins, log-scaled counts{1}',
  sampled: ', {0} of the values sampled',
};

/** The tooltip's markdown; `histogramUri` is a data: URI of the histogram picture. */
export function tensorTooltipMarkdown(
  t: ShownTensor,
  histogramUri: string,
  words: TensorWords = ENGLISH_TENSOR_WORDS,
): string {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  const s = t.stats;
  const zeros = Math.round(s.zeroFraction * s.count);
  const size = bytesPerElement(t.dtype);
  const bytes = size === null ? null : elements * size;
  const rows = [
    [words.rank, String(t.shape.length)],
    [words.shape, formatShape(t.shape)],
    [words.dtype, markdownText(t.dtype)],
    [words.elements, formatCount(elements)],
    [words.bytes, bytes === null ? '—' : `${formatCount(bytes)} (${formatBytes(bytes)})`],
    [words.minMax, `${formatNumber(s.min)} / ${formatNumber(s.max)}`],
    [words.meanStd, `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`],
    [words.zeros, `${formatCount(zeros)} (${(s.zeroFraction * 100).toFixed(1)} %)`],
    [words.nanInf, `${s.nanCount} / ${s.infCount}`],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const name = markdownText(t.name);
  const low = formatNumber(t.histogram.min);
  const high = formatNumber(t.histogram.max);
  const histogram = `![${formatString(words.histogramAlt, name, low, high)}](${histogramUri})`;
  const counted =
    t.sampled !== undefined && t.sampled < s.count ? formatString(words.sampled, formatCount(t.sampled)) : '';
  const range = `${low} … ${high} (${formatString(words.bins, t.histogram.counts.length, counted)})`;
  return [`**${name}** — ${markdownText(tensorDescription(t))}`, '', table, '', histogram, '', range].join('\n');
}
