// Chart data as CSV (RFC 4180): an x column, then one column per series; rows are the union of the
// series' x values, with an empty cell where a series has no point.
export interface NamedSeries {
  name: string;
  points: readonly { x: number; y: number | null }[];
}

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function seriesCsv(xName: string, series: readonly NamedSeries[]): string {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const columns = series.map((s) => new Map(s.points.map((p) => [p.x, p.y])));
  const lines = [[xName, ...series.map((s) => s.name)].map(csvField).join(',')];
  for (const x of xs) lines.push([x, ...columns.map((c) => c.get(x) ?? null)].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
