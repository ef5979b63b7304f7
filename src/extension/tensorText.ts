// How a tensor reads in the tree: a short description (dtype and shape) and a markdown tooltip with
// the figures the book looks at (ndim, shape, dtype) plus statistics and a histogram image.
import type { DType, TensorSummary } from '../shared/protocol';

const BYTES_PER_ELEMENT: Record<DType, number> = { uint8: 1, int32: 4, float32: 4 };

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

export function tensorDescription(t: { dtype: DType; shape: readonly (number | null)[] }): string {
  return `${t.dtype} ${formatShape(t.shape)}`;
}

/** 4 significant digits, without exponent noise for everyday magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The tooltip's markdown; `histogramUri` is a data: URI of the histogram picture. */
export function tensorTooltipMarkdown(t: TensorSummary, histogramUri: string, note?: string): string {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  const s = t.stats;
  const zeros = Math.round(s.zeroFraction * s.count);
  const rows = [
    ['rank (ndim)', String(t.shape.length)],
    ['shape', formatShape(t.shape)],
    ['dtype', t.dtype],
    ['elements', elements.toLocaleString('en-US')],
    [
      'bytes',
      `${(elements * BYTES_PER_ELEMENT[t.dtype]).toLocaleString('en-US')} (${formatBytes(elements * BYTES_PER_ELEMENT[t.dtype])})`,
    ],
    ['min / max', `${formatNumber(s.min)} / ${formatNumber(s.max)}`],
    ['mean ± std', `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`],
    ['zeros', `${zeros.toLocaleString('en-US')} (${(s.zeroFraction * 100).toFixed(1)} %)`],
    ['NaN / ±Inf', `${s.nanCount} / ${s.infCount}`],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const histogram = `![histogram of ${t.name} from ${formatNumber(t.histogram.min)} to ${formatNumber(t.histogram.max)}](${histogramUri})`;
  const range = `${formatNumber(t.histogram.min)} … ${formatNumber(t.histogram.max)} (${t.histogram.counts.length} bins, log-scaled counts)`;
  return [
    `**${t.name}** — ${tensorDescription(t)}`,
    '',
    table,
    '',
    histogram,
    '',
    range,
    ...(note ? ['', note] : []),
  ].join('\n');
}
