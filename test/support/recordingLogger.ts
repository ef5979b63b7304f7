// A Logger that keeps every line with its level, for tests to read what the host would have logged.
import type { Logger } from '../../src/extension/logger';

export type LogLevel = 'info' | 'warn' | 'error';

export class RecordingLogger implements Logger {
  readonly entries: { level: LogLevel; line: string }[] = [];

  info(line: string): void {
    this.entries.push({ level: 'info', line });
  }

  warn(line: string): void {
    this.entries.push({ level: 'warn', line });
  }

  error(line: string): void {
    this.entries.push({ level: 'error', line });
  }

  /** The lines logged at `level`, or at every level. */
  lines(level?: LogLevel): string[] {
    return this.entries.filter((e) => level === undefined || e.level === level).map((e) => e.line);
  }
}
