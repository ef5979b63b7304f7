// IDX: the file format the MNIST makers used (yann.lecun.com/exdb/mnist). Pure parsing, no I/O.

/** One error class for "this data/image file is bad": the message names the file and the fault. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`${file}: ${fault}`);
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
    throw new DataFileError(file, `too short for an IDX header (${bytes.length} bytes, need at least 4)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError(
      file,
      `not an IDX file: bad magic number (first two bytes ${hex(bytes[0])} ${hex(bytes[1])}, expected 0x00 0x00)`,
    );
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    const known = TYPE_NAMES[type];
    throw new DataFileError(
      file,
      known
        ? `unsupported IDX data type ${hex(type)} (${known}); only ${hex(UNSIGNED_BYTE)} (unsigned byte) is supported`
        : `unknown IDX data type ${hex(type)}; only ${hex(UNSIGNED_BYTE)} (unsigned byte) is supported`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw new DataFileError(file, 'IDX rank is 0; expected at least 1 dimension');
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
    throw new DataFileError(
      file,
      `truncated header: rank ${bytes[3]} needs ${headerLength} header bytes, file has ${bytes.length}`,
    );
  }
  const actual = bytes.length - headerLength;
  const size = declaredSize(header);
  if (actual < declared)
    throw new DataFileError(file, `truncated: header declares ${size} data bytes but only ${actual} follow`);
  if (actual > declared)
    throw new DataFileError(
      file,
      `${actual - declared} trailing bytes after the ${size} data bytes the header declares`,
    );
  return { dims: header.dims, data: bytes.subarray(headerLength) };
}
