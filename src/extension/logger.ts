// The host's one log, the "Tensor Lens" output channel (a LogOutputChannel: levels and timestamps),
// as the classes that write to it see it. They take this interface, not `vscode`, so those tested
// without VS Code (RunStore, TrainerClient, …) get a real recording logger in their tests.
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** For callers that keep no log (tests that do not look at it, the CLI's bench). */
export const NO_LOG: Logger = { info: () => {}, warn: () => {}, error: () => {} };
