// Reaches the extension's test API (what activate() returns, typed by the extension itself).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TensorLensTestApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'tensor-lens.tensor-lens';

/** One tree item as the test API describes it. */
export type TreeItemView = Awaited<ReturnType<TensorLensTestApi['treeItems']>>[number];

export function extension(): vscode.Extension<TensorLensTestApi> {
  const ext = vscode.extensions.getExtension<TensorLensTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this window`);
  return ext;
}

export async function activeApi(): Promise<TensorLensTestApi> {
  return extension().activate();
}

/** Sets tensorLens.* settings for this workspace (undefined removes one). */
export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('tensorLens');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}
