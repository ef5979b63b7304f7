// Messages between the host and its webview panels. Host → webview carries the run state (a
// snapshot on `ready`, then the trainer's events); webview → host is validated by
// parseWebviewMessage before anything acts on it: a webview is untrusted input.
import type { DType, Prediction, TensorSummary, TrainerEvent } from './protocol';
import type { RunState } from './runState';

export type PanelKind = 'dashboard' | 'tensor' | 'dataset' | 'prediction';
export type Split = 'train' | 'test';

export interface TensorView {
  name: string;
  shape: number[];
  dtype: DType;
  /** For rank 3, the slice [index] shown; null otherwise. */
  sliceIndex: number | null;
  /** Values of the (sliced) 2-D tensor, row-major. */
  values: Float32Array;
  summary: TensorSummary;
}

export type HostToWebview =
  | { type: 'runState'; state: RunState }
  | { type: 'trainerEvent'; event: TrainerEvent }
  | { type: 'tensor'; tensor: TensorView }
  | { type: 'datasetInfo'; counts: Record<Split, number>; labels: Record<Split, Uint8Array>; testPredictions: Uint8Array | null }
  /** 28×28 uint8 images of samples [start, start + count) of a split, concatenated; `labels` (optional,
   *  one per sample) lets panels without datasetInfo, like the dashboard's mistake gallery, caption them. */
  | { type: 'samples'; split: Split; start: number; count: number; images: Uint8Array; labels?: Uint8Array }
  | { type: 'prediction'; prediction: Prediction; imageUri: string; fileName: string }
  | { type: 'noModel' };

export type WebviewCommand = 'train' | 'stop' | 'evaluate' | 'showDashboard';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'command'; command: WebviewCommand }
  | { type: 'requestSamples'; split: Split; start: number; count: number }
  | { type: 'requestTensor'; name: string; sliceIndex: number | null }
  | { type: 'openTensor'; name: string };

/** Largest sample page a webview may ask for at once. */
export const MAX_SAMPLES_PER_REQUEST = 2000;
