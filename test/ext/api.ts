// Reaches the extension's test API (what activate() returns, typed by the extension itself).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TensorLensTestApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'tensor-lens.tensor-lens';

/** One tree item as the test API describes it. */
export type TreeItemView = Awaited<ReturnType<TensorLensTestApi['treeItems']>>[number];

export function extension(): vscode.Extension<TensorLensTestApi | undefined> {
  const ext = vscode.extensions.getExtension<TensorLensTestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this window`);
  return ext;
}

/** The test API, which activate() returns only in ExtensionMode.Test (these tests run through extensionTestsPath). */
export async function activeApi(): Promise<TensorLensTestApi> {
  const api = await extension().activate();
  assert.ok(api, 'activate() returned no test API: is the extension running in ExtensionMode.Test?');
  return api;
}

/** Sets tensorLens.* settings for this workspace (undefined removes one). */
export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('tensorLens');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}
