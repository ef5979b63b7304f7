// The Python extension's public environments API (`ms-python.python`; `@vscode/python-extension` is its
// typed facade, not a dependency here): the part Set Up Keras reads, typed locally and checked at run
// time, since it is another extension's object. No `vscode` at run time, so the unit tests read it.
import type * as vscode from 'vscode';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** What `environments.getActiveEnvironmentPath` returns: `path` may be a folder or a setting's value. */
export interface EnvironmentPath {
  id: string;
  path: string;
}

export interface PythonEnvironments {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath): Promise<unknown>;
}

/** The extension's `environments`, when its exports have that API. */
export function environmentsOf(exports: unknown): PythonEnvironments | null {
  if (typeof exports !== 'object' || exports === null) return null;
  const environments = (exports as { environments?: unknown }).environments;
  if (typeof environments !== 'object' || environments === null) return null;
  const e = environments as Record<string, unknown>;
  return typeof e.getActiveEnvironmentPath === 'function' && typeof e.resolveEnvironment === 'function'
    ? (environments as PythonEnvironments)
    : null;
}

/**
 * A resolved environment's interpreter, a local file: `executable.uri` (undefined for an environment
 * without Python, such as a conda env made without it; not a file for a remote one).
 */
export function executableOf(resolved: unknown): string | null {
  if (typeof resolved !== 'object' || resolved === null) return null;
  const executable = (resolved as { executable?: unknown }).executable;
  if (typeof executable !== 'object' || executable === null) return null;
  const uri = (executable as { uri?: unknown }).uri;
  if (typeof uri !== 'object' || uri === null) return null;
  const { scheme, fsPath } = uri as { scheme?: unknown; fsPath?: unknown };
  return scheme === 'file' && typeof fsPath === 'string' && fsPath.length > 0 && !fsPath.includes('\0') ? fsPath : null;
}
