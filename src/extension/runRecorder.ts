// Keeps a record of every run as it goes: created at its trainStart, written again after each
// epoch, at its end, its evaluation and its failure, so even a run cut short is kept as it was.
import { errorLine } from '../shared/errors';
import { type RunRecord, recordFromState } from '../shared/runRecord';
import { Disposable } from './dispose';
import type { Logger } from './logger';
import type { RunController } from './runController';
import { type RunStore, newRunId } from './runStore';

export class RunRecorder extends Disposable {
  private current: { id: string; startedAt: number } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly controller: RunController,
    private readonly store: RunStore,
    private readonly log: Logger,
  ) {
    super();
    this.register(
      controller.onEvent((event) => {
        switch (event.type) {
          case 'trainStart': {
            const now = Date.now();
            this.current = { id: newRunId(now), startedAt: now };
            return this.write();
          }
          case 'epoch':
            return this.write();
          case 'trainEnd':
            this.write();
            // A completed run's last words are its evaluation; a stopped run has none.
            if (event.reason === 'stopped') this.current = null;
            return;
          // The run's own evaluation and failure (requests' answers are not the run's).
          case 'evaluation':
          case 'error':
            if (event.requestId !== null) return;
            this.write();
            this.current = null;
            return;
        }
      }),
    );
  }

  /** Called after every write (the Runs view refreshes). */
  onDidWrite(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private write(): void {
    if (this.current === null) return;
    const record: RunRecord | null = recordFromState(this.current.id, this.current.startedAt, this.controller.state);
    if (record === null) return;
    this.store.save(record).then(
      () => {
        for (const listener of this.listeners) listener();
      },
      // Keeping runs must never break training: say so in the output channel.
      (error: unknown) => this.log.error(`runs: could not keep ${record.id}: ${errorLine(error)}`),
    );
  }
}
