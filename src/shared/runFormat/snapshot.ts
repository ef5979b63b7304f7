// Snapshot files `snapshots/NNNNNN.bin` (docs/run-format.md §3): a 24-byte preamble (magic, header
// length H, data length D), a JSON header, the data section. Every size is checked against what the
// file is before anything is read or allocated from it: the file is exactly 24 + H + D bytes, H is
// bounded, and every tensor's values range lies inside D. Pure: src/shared/node/runFiles.ts reads.
import { RunFormatError, type WeightInfo, weightInfo } from './events';

export const SNAPSHOT_MAGIC = 'TLSNAP1\n';
export const SNAPSHOT_PREAMBLE_BYTES = 24;
/** Tensor Lens' bound on H (§3). */
export const MAX_SNAPSHOT_HEADER_BYTES = 64 * 1024 * 1024;

export interface SnapshotLayout {
  headerBytes: number;
  dataBytes: number;
}

export interface WeightStatistics extends WeightInfo {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  norm: number | null;
  zeros: number;
  nans: number;
  infs: number;
  histogram: { low: number | null; high: number | null; sampled: number; counts: number[] };
  update: number | null;
  /** Where the float32 values lie in the data section, or null when the snapshot has none. */
  values: { offset: number; length: number } | null;
}

export interface SnapshotHeader {
  index: number;
  epoch: number;
  batch: number;
  step: number;
  reason: string;
  weights: WeightStatistics[];
}

/** The preamble, checked against the file's real size before the header is read. */
export function parseSnapshotPreamble(preamble: Uint8Array, fileBytes: number): SnapshotLayout {
  if (preamble.length < SNAPSHOT_PREAMBLE_BYTES || fileBytes < SNAPSHOT_PREAMBLE_BYTES)
    throw new RunFormatError({ kind: 'snapshotTooShort', bytes: fileBytes, preamble: SNAPSHOT_PREAMBLE_BYTES });
  const magic = new TextDecoder('latin1').decode(preamble.subarray(0, 8));
  if (magic !== SNAPSHOT_MAGIC) throw new RunFormatError({ kind: 'snapshotWrongMagic' });
  const view = new DataView(preamble.buffer, preamble.byteOffset, SNAPSHOT_PREAMBLE_BYTES);
  const header = view.getBigUint64(8, true);
  const data = view.getBigUint64(16, true);
  if (header > BigInt(MAX_SNAPSHOT_HEADER_BYTES))
    throw new RunFormatError({ kind: 'snapshotHeaderTooLarge', bytes: String(header), max: MAX_SNAPSHOT_HEADER_BYTES });
  if (BigInt(SNAPSHOT_PREAMBLE_BYTES) + header + data !== BigInt(fileBytes))
    throw new RunFormatError({
      kind: 'snapshotSizesDisagree',
      header: String(header),
      data: String(data),
      bytes: fileBytes,
    });
  if ((SNAPSHOT_PREAMBLE_BYTES + Number(header)) % 8 !== 0) throw new RunFormatError({ kind: 'snapshotDataUnaligned' });
  return { headerBytes: Number(header), dataBytes: Number(data) };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const finiteOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const count = (value: unknown): number =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0;

function weightStatistics(item: unknown, dataBytes: number): WeightStatistics {
  if (!isObject(item)) throw new RunFormatError({ kind: 'snapshotWeightNotObject' });
  const info = weightInfo(item);
  const elements = info.shape.reduce((a, b) => a * b, 1);
  if (item.count !== elements)
    throw new RunFormatError({
      kind: 'snapshotWeightCount',
      name: info.name,
      count: JSON.stringify(item.count ?? null),
      elements,
    });
  let values: WeightStatistics['values'] = null;
  if (item.values !== null && item.values !== undefined) {
    const raw = item.values;
    if (!isObject(raw) || raw.dtype !== 'float32')
      throw new RunFormatError({ kind: 'snapshotValuesNotFloat32', name: info.name });
    const { offset, length } = raw;
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || length !== 4 * elements)
      throw new RunFormatError({
        kind: 'snapshotValuesWrongLength',
        name: info.name,
        offset: JSON.stringify(offset ?? null),
        length: JSON.stringify(length ?? null),
        expected: 4 * elements,
      });
    if ((offset as number) + (length as number) > dataBytes)
      throw new RunFormatError({
        kind: 'snapshotValuesPastData',
        name: info.name,
        end: (offset as number) + (length as number),
        bytes: dataBytes,
      });
    if ((offset as number) % 4 !== 0) throw new RunFormatError({ kind: 'snapshotValuesUnaligned', name: info.name });
    values = { offset: offset as number, length: length as number };
  }
  const histogram = isObject(item.histogram) ? item.histogram : {};
  const counts = Array.isArray(histogram.counts) ? histogram.counts.map(count) : [];
  return {
    ...info,
    count: elements,
    min: finiteOrNull(item.min),
    max: finiteOrNull(item.max),
    mean: finiteOrNull(item.mean),
    std: finiteOrNull(item.std),
    norm: finiteOrNull(item.norm),
    zeros: count(item.zeros),
    nans: count(item.nans),
    infs: count(item.infs),
    histogram: {
      low: finiteOrNull(histogram.low),
      high: finiteOrNull(histogram.high),
      sampled: count(histogram.sampled),
      counts,
    },
    update: finiteOrNull(item.update),
    values,
  };
}

/** The snapshot's JSON header, every values range checked against the data section's length. */
export function parseSnapshotHeader(text: string, dataBytes: number): SnapshotHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RunFormatError({ kind: 'snapshotHeaderNotJson' });
  }
  if (!isObject(json) || !Array.isArray(json.weights)) throw new RunFormatError({ kind: 'snapshotHeaderNoWeights' });
  const int = (key: string, min: number) => {
    const value = json[key];
    if (!Number.isSafeInteger(value) || (value as number) < min)
      throw new RunFormatError({ kind: 'snapshotHeaderKey', key, min });
    return value as number;
  };
  return {
    index: int('index', 1),
    epoch: int('epoch', 0),
    batch: int('batch', -1),
    step: int('step', 0),
    reason: typeof json.reason === 'string' ? json.reason : '',
    weights: json.weights.map((w) => weightStatistics(w, dataBytes)),
  };
}

/** A weight's float32 values out of the data section (little-endian, as §3 writes them). */
export function weightValues(data: Uint8Array, values: { offset: number; length: number }): Float32Array {
  const out = new Float32Array(values.length / 4);
  const view = new DataView(data.buffer, data.byteOffset + values.offset, values.length);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
