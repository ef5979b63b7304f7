// Who writes a kept run while it trains, and whether that process still lives. Global storage is
// shared by every window of the editor, so a record still "training" may be another window's live
// run: it is ended only when its own writer is gone. The process questions (pid, start time, boot
// id) are the same ones the Keras run reader asks: src/shared/node/writerProcess.ts.
import { hostname } from 'node:os';
import type { RunWriter } from '../shared/runRecord';
import { bootId, startTicks, writerLiveness } from '../shared/node/writerProcess';

/**
 * When process `pid` started, as the system counts it, to tell a reused pid apart: on Linux the boot
 * id and field 22 of /proc/<pid>/stat (clock ticks since boot). Null where the system does not say
 * (or the process is gone).
 */
export async function processStart(pid: number): Promise<string | null> {
  const [boot, ticks] = await Promise.all([bootId(), startTicks(pid)]);
  return boot !== null && ticks !== null ? `${boot}:${ticks}` : null;
}

/** This process, as a record's writer. */
export async function currentWriter(): Promise<RunWriter> {
  return { pid: process.pid, host: hostname(), start: await processStart(process.pid) };
}

export type WriterState = 'alive' | 'gone' | 'elsewhere';

export const sameWriter = (a: RunWriter | undefined, b: RunWriter): boolean =>
  a !== undefined && a.pid === b.pid && a.host === b.host && a.start === b.start;

/** Whether `writer` still runs: `elsewhere` when it ran on another machine (a home folder shared over the network), which cannot be asked. */
export async function writerState(writer: RunWriter): Promise<WriterState> {
  // The record's `start` is "<boot id>:<ticks>" (processStart); anything else names no start.
  const match = writer.start === null ? null : /^(.+):(\d+)$/.exec(writer.start);
  return writerLiveness({
    pid: writer.pid,
    host: writer.host,
    bootId: match ? match[1] : null,
    startTicks: match ? Number(match[2]) : null,
  });
}
