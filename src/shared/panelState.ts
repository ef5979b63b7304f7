// What a panel's webview saves (setState) so that the panel comes back after a reload showing what it
// showed: VS Code hands the saved state to the host's serializer, which fills the panel again from its
// own sources. The webview saves only what names its content (a tensor's name, a file, run ids, a test
// index), under `shows`; the rest of its state (scroll, cursor…) is its own. The state comes back from
// the webview, so the host parses it like any message from there.
import { RUN_ID } from './runRecord';
import { type PanelKind, type TensorRef, isTensorRef } from './webviewProtocol';

/** What names each kind's content; null for the kinds the host fills from its own state alone. */
export interface ShownContent {
  dashboard: null;
  tensor: { tensor: TensorRef; sliceIndex: number | null };
  dataset: null;
  prediction: { file: string };
  /** `ids`: Tensor Lens' kept runs; `keras`: Keras runs by their run id (their folder's name, run-format §1). */
  runs: { ids: string[]; keras: string[] };
  draw: null;
  mistake: { index: number };
}

/** The part of a webview's saved state the host reads. */
export interface SavedPanelState<K extends PanelKind> {
  shows?: ShownContent[K];
}

/** Bounds of what a panel names: longer names, more runs or larger indices are not ones we wrote. */
export const SHOWN_LIMITS = { textLength: 4096, runs: 1000, index: 1_000_000 } as const;

/** `shows` null: the panel had saved nothing (it opened empty, or before it got content). */
export type ParsedPanelState<K extends PanelKind> =
  { ok: true; shows: ShownContent[K] | null } | { ok: false; fault: string };

/** Each kind's `shows`, read from the saved value or refused with an Error that says why. */
const READERS: { readonly [K in PanelKind]: (shows: Record<string, unknown>) => ShownContent[K] } = {
  dashboard: () => null,
  dataset: () => null,
  draw: () => null,
  tensor: (shows) => {
    const sliceIndex = shows.sliceIndex === null ? null : index(shows.sliceIndex, 'sliceIndex');
    // Saved before Keras weights could be shown: a name alone is one of Tensor Lens' own tensors.
    if (!Object.hasOwn(shows, 'tensor'))
      return { tensor: { source: 'tensorLens', name: text(shows.name, 'name') }, sliceIndex };
    if (!isTensorRef(shows.tensor))
      throw new Error('tensor must name a tensor of Tensor Lens or of a Keras run (source, name, runId)');
    return { tensor: shows.tensor, sliceIndex };
  },
  prediction: (shows) => {
    const file = text(shows.file, 'file');
    // The file was picked in a dialog (an absolute path); a relative one would mean the host's cwd.
    if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(file)) throw new Error('file must be an absolute path');
    return { file };
  },
  runs: (shows) => {
    const ids = shows.ids;
    if (!Array.isArray(ids) || ids.length > SHOWN_LIMITS.runs)
      throw new Error(`ids must be a list of at most ${SHOWN_LIMITS.runs} run ids`);
    if (!ids.every((id): id is string => typeof id === 'string' && RUN_ID.test(id)))
      throw new Error('ids must be run ids (run-<13 digits>-<8 hex>)');
    return { ids, keras: kerasRunIds(shows.keras) };
  },
  mistake: (shows) => ({ index: index(shows.index, 'index') }),
};

/** What `state` (as VS Code saved it for a panel of `kind`) says the panel showed. */
export function parsePanelState<K extends PanelKind>(kind: K, state: unknown): ParsedPanelState<K> {
  if (state === undefined || state === null) return { ok: true, shows: null };
  if (typeof state !== 'object' || Array.isArray(state)) return { ok: false, fault: 'the state is not an object' };
  const shows = (state as { shows?: unknown }).shows;
  if (shows === undefined) return { ok: true, shows: null };
  if (typeof shows !== 'object' || shows === null || Array.isArray(shows))
    return { ok: false, fault: 'shows is not an object' };
  try {
    return { ok: true, shows: READERS[kind](shows as Record<string, unknown>) };
  } catch (error) {
    return { ok: false, fault: (error as Error).message };
  }
}

/** A folder's name: only compared with the ids of the runs found, never made into a path. */
const KERAS_RUN_ID = /^(?!\.\.?$)[^/\\\0]{1,255}$/;

function kerasRunIds(value: unknown): string[] {
  // A state saved before Keras runs were compared names none.
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > SHOWN_LIMITS.runs)
    throw new Error(`keras must be a list of at most ${SHOWN_LIMITS.runs} Keras run ids`);
  if (!value.every((id): id is string => typeof id === 'string' && KERAS_RUN_ID.test(id)))
    throw new Error("keras must be Keras run ids (a run folder's name)");
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > SHOWN_LIMITS.textLength)
    throw new Error(`${field} must be a text of 1 to ${SHOWN_LIMITS.textLength} characters`);
  return value;
}

function index(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= SHOWN_LIMITS.index)
    throw new Error(`${field} must be an integer from 0 to ${SHOWN_LIMITS.index - 1}`);
  return value as number;
}
