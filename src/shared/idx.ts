// IDX: the file format the MNIST makers used (yann.lecun.com/exdb/mnist). Pure parsing, no I/O.

import { type Fault, FaultError } from './faults';

/** One error class for "this data/image file is bad": its fault names the file; its message is one line. */
export class DataFileError extends FaultError {
  readonly file: string;
  constructor(fault: Extract<Fault, { file: string | number }>) {
    super(fault);
    this.file = String(fault.file);
    this.name = 'DataFileError';
  }
}

export interface IdxArray {
  dims: number[];
  /** A view into the caller's bytes, not a copy. */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0').toUpperCase()}`;

/** What an IDX header declares: the dims, its own length and the data bytes that must follow. */
export interface IdxHeader {
  dims: number[];
  headerLength: number;
  dataLength: number;
}

/**
 * Reads the header at the start of `bytes`. With only the first 4 bytes it still checks the magic
 * and type and returns the header length to read (dims and dataLength come once that many are here).
 */
export function parseIdxHeader(bytes: Uint8Array, file: string): IdxHeader {
  if (bytes.length < 4) {
    throw new DataFileError({ kind: 'idxTooShort', file, bytes: bytes.length });
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError({ kind: 'idxBadMagic', file, first: hex(bytes[0]), second: hex(bytes[1]) });
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    const known = TYPE_NAMES[type];
    throw new DataFileError(
      known
        ? { kind: 'idxUnsupportedType', file, type: hex(type), name: known }
        : { kind: 'idxUnknownType', file, type: hex(type) },
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw new DataFileError({ kind: 'idxRankZero', file });
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) return { dims: [], headerLength, dataLength: NaN };
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return { dims, headerLength, dataLength: dims.reduce((a, b) => a * b, 1) };
}

/** `60000×28×28 = 47040000`, or `60000` for one dimension. */
export function declaredSize(header: IdxHeader): string {
  return header.dims.length > 1 ? `${header.dims.join('×')} = ${header.dataLength}` : `${header.dataLength}`;
}

export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const header = parseIdxHeader(bytes, file);
  const { headerLength, dataLength: declared } = header;
  if (bytes.length < headerLength) {
    throw new DataFileError({
      kind: 'idxTruncatedHeader',
      file,
      rank: bytes[3],
      needs: headerLength,
      bytes: bytes.length,
    });
  }
  const actual = bytes.length - headerLength;
  const size = declaredSize(header);
  if (actual < declared) throw new DataFileError({ kind: 'idxTruncated', file, size, actual });
  if (actual > declared) throw new DataFileError({ kind: 'idxTrailing', file, extra: actual - declared, size });
  return { dims: header.dims, data: bytes.subarray(headerLength) };
}
