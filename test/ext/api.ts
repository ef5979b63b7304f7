// Reaches the extension's test API (what activate() returns) and small waiting helpers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunState } from '../../src/shared/runState';

export const EXTENSION_ID = 'tensor-lens.tensor-lens';

export interface TreeItemView {
  label: string;
  description?: string;
  tooltip?: string;
  element: unknown;
}

export interface TensorLensTestApi {
  runState(): RunState;
  trainerPid(): number | undefined;
  getTensor(name: string): Promise<{ name: string; shape: number[]; values: Float32Array }>;
  treeItems(parent?: unknown): Promise<TreeItemView[]>;
  whenTrainingEnds(): Promise<RunState>;
}

export function extension(): vscode.Extension<TensorLensTestApi> {
  const ext = vscode.extensions.getExtension<TensorLensTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this window`);
  return ext;
}

export async function activeApi(): Promise<TensorLensTestApi> {
  return extension().activate();
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sets tensorLens.* settings for this workspace (undefined removes one). */
export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('tensorLens');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}
