// Opening a file a workspace points at: it must resolve inside the folder the caller trusts (a
// symlink out of it is refused), and be a regular file (a FIFO or device is refused without
// waiting on it: the open is non-blocking and the type is checked on the open handle).
import { constants } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { type Fault, FaultError } from '../faults';

/** A file that cannot be read as asked: a `runFile` fault (`file: detail`, one line once worded). */
export class UntrustedFileError extends FaultError {
  constructor(
    readonly file: string,
    detail: Fault,
  ) {
    super({ kind: 'runFile', file, detail });
  }
}

/** An fs error's fault: its code names it well enough ("ENOENT" → "does not exist"). */
export function fsFault(error: unknown): Fault {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return { kind: 'fileMissing' };
    case 'EACCES':
    case 'EPERM':
      return { kind: 'fileNoPermission' };
    case 'ELOOP':
      return { kind: 'fileLinkLoop' };
    case 'EISDIR':
      return { kind: 'fileIsFolder' };
    default:
      return { kind: 'fileUnreadable', code: code ?? (error instanceof Error ? error.message : String(error)) };
  }
}

export interface OpenedFile {
  handle: FileHandle;
  size: number;
  /** Identity of the file opened, to notice a file replaced between two reads. */
  dev: number;
  ino: number;
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);

/** Opens `file` for reading when it resolves inside `root` and is a regular file. */
export async function openUntrusted(file: string, root: string): Promise<OpenedFile> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  } catch (error) {
    throw new UntrustedFileError(file, fsFault(error));
  }
  if (!inside(real, realRoot)) throw new UntrustedFileError(file, { kind: 'fileLinkOutside', target: real, root });
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer. O_NOFOLLOW: the resolved path was
    // checked; a link put in its place since is refused. Both are 0 where the system lacks them.
    handle = await open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw new UntrustedFileError(file, fsFault(error));
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UntrustedFileError(file, { kind: 'fileNotRegular' });
    return { handle, size: stat.size, dev: stat.dev, ino: stat.ino };
  } catch (error) {
    await handle.close();
    throw error instanceof UntrustedFileError ? error : new UntrustedFileError(file, fsFault(error));
  }
}

/** Reads exactly `length` bytes at `position` (a short read is a file that shrank under us). */
export async function readExactly(opened: OpenedFile, file: string, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await opened.handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new UntrustedFileError(file, { kind: 'fileEndedWhileRead', bytes: position + done });
    done += bytesRead;
  }
  return buffer;
}
