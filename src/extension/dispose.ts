// Lifecycle of the host's objects, in the shape VS Code extensions share (vscode-hexeditor's
// src/dispose.ts, vscode-pull-request-github's lifecycle.ts): an object registers what it owns and
// disposes it all once. No `vscode` import, so the pure cores (RunController) can hand out
// subscriptions too; a vscode.Disposable fits `IDisposable` as it is.

export interface IDisposable {
  dispose(): void;
}

/** A subscription (or any clean-up) as a disposable. */
export function toDisposable(dispose: () => void): IDisposable {
  return { dispose };
}

/** Disposes each, newest first (what was made last may depend on what was made before it). */
export function disposeAll(disposables: IDisposable[]): void {
  for (const d of disposables.splice(0).reverse()) d.dispose();
}

export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Owns `value` from now on; disposed at once when this already is. */
  protected register<T extends IDisposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  /** Disposes everything registered, once; a second call does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}
