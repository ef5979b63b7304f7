// Every kind of panel in one table: its view type (under which VS Code keeps it across a reload; the
// manifest's onWebviewPanel activation events name the same ones), its tab title in the display
// language, and how a panel VS Code brings back is filled again from what its webview saved
// (src/shared/panelState.ts). Only types come from `vscode` (l10n is passed in), so tests read it.
import type * as vscode from 'vscode';
import type { ShownContent } from '../shared/panelState';
import type { PanelKind, TensorRef } from '../shared/webviewProtocol';
import type { TensorLensPanel } from './webviewPanel';

/** How the host fills a panel with content: the same for a panel opened now and one restored. */
export interface PanelFiller {
  dataset(panel: TensorLensPanel): Promise<void>;
  tensor(panel: TensorLensPanel, tensor: TensorRef, sliceIndex: number | null): Promise<void>;
  /** null: the panel had shown no prediction (or "no model"). */
  prediction(panel: TensorLensPanel, file: string | null): Promise<void>;
  /** `ids`: kept runs; `kerasIds`: Keras runs by run id. */
  runs(panel: TensorLensPanel, ids: readonly string[], kerasIds: readonly string[]): Promise<void>;
  drawing(panel: TensorLensPanel): Promise<void>;
  mistake(panel: TensorLensPanel, index: number): Promise<void>;
}

export interface PanelKindEntry<K extends PanelKind> {
  viewType: string;
  /** The tab title; `l10n` is vscode.l10n. */
  title(l10n: Pick<typeof vscode.l10n, 't'>): string;
  /** Fills a panel VS Code brought back after a reload; `shows` is what it showed (null: nothing saved). */
  restore(fill: PanelFiller, panel: TensorLensPanel, shows: ShownContent[K] | null): Promise<void>;
}

const nothing = async () => {};

export const PANEL_KINDS: { readonly [K in PanelKind]: PanelKindEntry<K> } = {
  dashboard: {
    viewType: 'tensorLens.dashboard',
    title: (l10n) => l10n.t('MNIST Training'),
    // The run state every panel gets on `ready` is all the dashboard shows.
    restore: nothing,
  },
  tensor: {
    viewType: 'tensorLens.tensor',
    title: (l10n) => l10n.t('Tensor'),
    restore: async (fill, panel, shows) => {
      if (shows) await fill.tensor(panel, shows.tensor, shows.sliceIndex);
    },
  },
  dataset: {
    viewType: 'tensorLens.dataset',
    title: (l10n) => l10n.t('MNIST Samples'),
    restore: (fill, panel) => fill.dataset(panel),
  },
  prediction: {
    viewType: 'tensorLens.prediction',
    title: (l10n) => l10n.t('Digit Prediction'),
    restore: (fill, panel, shows) => fill.prediction(panel, shows?.file ?? null),
  },
  runs: {
    viewType: 'tensorLens.runs',
    title: (l10n) => l10n.t('MNIST Runs'),
    restore: (fill, panel, shows) => fill.runs(panel, shows?.ids ?? [], shows?.keras ?? []),
  },
  draw: {
    viewType: 'tensorLens.draw',
    title: (l10n) => l10n.t('Draw a Digit'),
    restore: (fill, panel) => fill.drawing(panel),
  },
  mistake: {
    viewType: 'tensorLens.mistake',
    title: (l10n) => l10n.t('A Mistake Explained'),
    restore: async (fill, panel, shows) => {
      if (shows) await fill.mistake(panel, shows.index);
    },
  },
};

/** Every kind, in the table's order. */
export const panelKinds = Object.keys(PANEL_KINDS) as PanelKind[];
