// Messages between the host and its webview panels. Host → webview carries the run state (a
// snapshot on `ready`, then the trainer's events); webview → host is validated by
// parseWebviewMessage before anything acts on it: a webview is untrusted input.
import type { Prediction, TensorSummary, TrainerEvent } from './protocol';
import type { DenseWeightValues } from './denseForward';
import type { ComparedKerasRun } from './kerasCompare';
import type { KerasDashboardRun } from './kerasDashboard';
import type { RunRecord } from './runRecord';
import type { RunState } from './runState';
import { describeValue } from './describeValue';
import { oneLine } from './errors';

export type PanelKind = 'dashboard' | 'tensor' | 'dataset' | 'prediction' | 'runs' | 'draw' | 'mistake';
export type Split = 'train' | 'test';

/** Name of the input the last prediction fed the model, openable in the inspector like any tensor. */
export const PREDICTION_INPUT = 'prediction/input';

/**
 * What names a tensor the inspector shows: one of Tensor Lens' own (a dataset tensor, a weight or a
 * step's gradient from the trainer, the last prediction's input) by its name, or a weight of a Keras
 * run by the run's id (its folder's name, docs/run-format.md §1) and the weight's name.
 */
export type TensorRef = { source: 'tensorLens'; name: string } | { source: 'keras'; runId: string; name: string };

/** Which snapshot of a Keras run a weight's values came from, or why no snapshot carries them. */
export type KerasSnapshotShown =
  | { kind: 'values'; index: number; epoch: number; step: number; reason: string }
  /** The weight has more elements than any snapshot of the run keeps (its `rawMaxElements`). */
  | { kind: 'tooLarge'; limit: number }
  /** None of the newest `searched` snapshots keeps them (a weight that is not floating point, or only `budget` ones yet). */
  | { kind: 'notKept'; searched: number };

/** A tensor as the inspector panel receives it (a message payload, not a VS Code view). */
export interface TensorPayload {
  ref: TensorRef;
  shape: number[];
  /** As its framework names it (`float32`; a Keras weight may be `float16`): the values sent are float32. */
  dtype: string;
  /** The slice shown (tensorSlice.ts: rank 3 its first axis, rank 4 a conv kernel's input channel); null otherwise. */
  sliceIndex: number | null;
  /** Values of the matrix drawn (tensorSlice.ts `matrixDims`), row-major; null when none can be had (`snapshot` says why). */
  values: Float32Array | null;
  summary: Pick<TensorSummary, 'stats' | 'histogram'>;
  /** For a Keras run's weight, where its values came from; null for Tensor Lens' own tensors. */
  snapshot: KerasSnapshotShown | null;
}

export type HostToWebview =
  | { type: 'runState'; state: RunState }
  /** Trainer events in the order they happened, grouped so a webview gets a bounded rate of messages. */
  | { type: 'trainerEvents'; events: TrainerEvent[] }
  | { type: 'tensor'; tensor: TensorPayload }
  /** The inspector restored after a reload on a tensor that is gone (a step's gradient lives only in its trainer). */
  | { type: 'tensorUnavailable'; name: string; reason: string }
  | {
      type: 'datasetInfo';
      counts: Record<Split, number>;
      labels: Record<Split, Uint8Array>;
      testPredictions: Uint8Array | null;
    }
  /** 28×28 uint8 images of samples [start, start + count) of a split, concatenated; `labels` (optional,
   *  one per sample) lets panels without datasetInfo, like the dashboard's mistake gallery, caption them. */
  | { type: 'samples'; split: Split; start: number; count: number; images: Uint8Array; labels?: Uint8Array }
  /** The picture shown is the prediction's small original (its first step), not the file: a photo is megabytes. */
  | { type: 'prediction'; prediction: Prediction; fileName: string }
  | { type: 'noModel' }
  /** Kept runs to compare, each with its legend label (what differs between them), and Keras runs beside them. */
  | {
      type: 'runs';
      runs: { label: string; record: RunRecord }[];
      keras: { label: string; run: ComparedKerasRun }[];
    }
  /** The Keras run the host follows, whole (bounded: kerasDashboard.ts), each time it changes. */
  | { type: 'kerasRun'; run: KerasDashboardRun }
  /** The current model's four weights, for the drawing pad to run the network itself as the person draws. */
  | { type: 'drawWeights'; weights: DenseWeightValues }
  | { type: 'mistake'; mistake: MistakePayload };

/** A misread test digit explained: what the model gave each class, the nearest training digits, the units behind it. */
export interface MistakePayload {
  index: number;
  label: number;
  predicted: number;
  /** 784 uint8 pixels. */
  image: Uint8Array;
  probabilities: number[];
  nearest: { index: number; label: number; distance: number; image: Uint8Array }[];
  /** Each unit's 784 input weights, to show as a 28×28 image. */
  units: { unit: number; push: number; weights: Float32Array }[];
}

export type WebviewCommand =
  'train' | 'stop' | 'evaluate' | 'showDashboard' | 'step' | 'pause' | 'resume' | 'installNative';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'command'; command: WebviewCommand }
  | { type: 'requestSamples'; split: Split; start: number; count: number }
  | { type: 'requestTensor'; tensor: TensorRef; sliceIndex: number | null }
  | { type: 'openTensor'; name: string }
  /** Explain the model's mistake on this test sample. */
  | { type: 'explainMistake'; index: number }
  /** A chart's picture (a data:image/png;base64 URL) or data (CSV text), to save where the person picks. */
  | { type: 'exportChart'; format: ExportFormat; name: string; data: string };

export type ExportFormat = 'png' | 'csv';

/** A suggested file name (without extension): letters, digits, spaces, dots, dashes, underscores. */
export const EXPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/;
/** The largest export a webview may send (a 4K chart PNG is a few MB). */
export const MAX_EXPORT_CHARS = 16_000_000;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

/** Largest sample page a webview may ask for at once. */
export const MAX_SAMPLES_PER_REQUEST = 2000;

/** Longest tensor name a webview may send (real names are like `dense_1/kernel`). */
export const MAX_TENSOR_NAME_LENGTH = 200;
/** Upper bound of any sample or slice index (MNIST has 60,000 training samples). */
export const MAX_INDEX = 1_000_000;

const WEBVIEW_COMMANDS: readonly WebviewCommand[] = [
  'train',
  'stop',
  'evaluate',
  'showDashboard',
  'step',
  'pause',
  'resume',
  'installNative',
];

/** The fields each message type carries besides `type`, with their checks. Nothing else is read. */
const MESSAGE_FIELDS: Record<WebviewToHost['type'], Record<string, (v: unknown) => boolean>> = {
  ready: {},
  command: { command: (v) => WEBVIEW_COMMANDS.includes(v as WebviewCommand) },
  requestSamples: {
    split: (v) => v === 'train' || v === 'test',
    start: (v) => isIndex(v),
    count: (v) => isIndex(v) && (v as number) >= 1 && (v as number) <= MAX_SAMPLES_PER_REQUEST,
  },
  requestTensor: { tensor: isTensorRef, sliceIndex: (v) => v === null || isIndex(v) },
  openTensor: { name: isTensorName },
  explainMistake: { index: isIndex },
  exportChart: {
    format: (v) => v === 'png' || v === 'csv',
    name: (v) => typeof v === 'string' && EXPORT_NAME.test(v),
    data: (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_EXPORT_CHARS,
  },
};

function isIndex(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INDEX;
}

function isTensorName(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TENSOR_NAME_LENGTH;
}

/** `record[key]` if it is the object's own, else undefined (an inherited field is no field). */
const ownField = (record: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** A Keras run's id is a folder name (no separator, not `.` or `..`); the host only matches it against runs it found. */
export function isKerasRunId(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    v.length > 0 &&
    v.length <= MAX_TENSOR_NAME_LENGTH &&
    !/[/\\\0]/.test(v) &&
    v !== '.' &&
    v !== '..'
  );
}

/** A new TensorRef of `v`'s own fields (others dropped unread, as for messages), or null when it is not one. */
export function tensorRefOf(v: unknown): TensorRef | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const ref = v as Record<string, unknown>;
  const source = ownField(ref, 'source');
  const name = ownField(ref, 'name');
  if (!isTensorName(name)) return null;
  if (source === 'tensorLens') return { source, name: name as string };
  const runId = ownField(ref, 'runId');
  if (source === 'keras' && isKerasRunId(runId)) return { source, runId, name: name as string };
  return null;
}

export function isTensorRef(v: unknown): v is TensorRef {
  return tensorRefOf(v) !== null;
}

/**
 * The message as a WebviewToHost, or null when it is not one: an unknown type, a missing or
 * out-of-range field. It is a new object of the type's own fields: only those are read, and any other
 * key is dropped unread, never passed on. Listing the keys to refuse extras would cost time in their
 * number (a `ready` of 2 M keys held the host ≈ 3 s); V8 lists all of them even for a `for…in` left early.
 */
export function parseWebviewMessage(raw: unknown): WebviewToHost | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const record = raw as Record<string, unknown>;
  const type = ownField(record, 'type');
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGE_FIELDS, type)) return null;
  const message: Record<string, unknown> = { type };
  for (const [key, check] of Object.entries(MESSAGE_FIELDS[type as WebviewToHost['type']])) {
    const value = ownField(record, key);
    if (!check(value)) return null;
    message[key] = value;
  }
  // A nested ref is rebuilt of its own fields too.
  if (type === 'requestTensor') message.tensor = tensorRefOf(message.tensor);
  // The picture must be what it says: a PNG data URL, nothing else.
  if (type === 'exportChart' && message.format === 'png' && !PNG_DATA_URL.test(message.data as string)) return null;
  return message as WebviewToHost;
}

/** The longest description of a refused message in the log. */
export const MAX_REFUSED_DESCRIPTION_CHARS = 300;

/**
 * A refused message in one bounded line for the log: its `type`, and for a known type the fields it
 * should have (each marked if it failed its check). Nothing else is read: never the whole message.
 */
export function describeRefusedMessage(raw: unknown): string {
  let line: string;
  try {
    line = describeMessageFields(raw);
  } catch {
    // A getter that throws or a revoked Proxy.
    line = 'a message that cannot be read';
  }
  line = oneLine(line);
  return line.length <= MAX_REFUSED_DESCRIPTION_CHARS ? line : `${line.slice(0, MAX_REFUSED_DESCRIPTION_CHARS - 1)}…`;
}

function describeMessageFields(raw: unknown): string {
  const kind = describeValue(raw);
  if (kind !== 'an object') return kind;
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGE_FIELDS, type))
    return `type ${describeValue(type)} (no such message)`;
  let refused = false;
  const fields = Object.entries(MESSAGE_FIELDS[type as WebviewToHost['type']]).map(([key, check]) => {
    const value = record[key];
    if (check(value)) return `${key}: ${describeValue(value)}`;
    refused = true;
    return `${key}: ${describeValue(value)} (refused)`;
  });
  // Each field passed: what failed is the picture, which is not a PNG.
  const whole = refused ? [] : ['but not a PNG'];
  return [`type ${JSON.stringify(type)}`, ...fields, ...whole].join(', ');
}
