import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataFileError, parseIdx } from '../../../src/shared/idx';
import { idxBytes } from '../../support/idxFiles';

const FILE = '/data/sample-idx3-ubyte';

/** Asserts parseIdx fails with a DataFileError naming FILE and matching the fault. */
function assertFault(bytes: Uint8Array, fault: RegExp): void {
  assert.throws(
    () => parseIdx(bytes, FILE),
    (e: unknown) => {
      assert.ok(e instanceof DataFileError, `expected DataFileError, got ${String(e)}`);
      assert.equal(e.file, FILE);
      assert.ok(e.message.startsWith(`${FILE}: `), e.message);
      assert.match(e.message.slice(FILE.length + 2), fault);
      return true;
    },
  );
}

test('idx: parses dims big-endian and returns the data as a view, not a copy', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 300 }, (_, i) => i % 251);
  const bytes = idxBytes([2, 3, 300], data);
  const parsed = parseIdx(bytes, FILE);
  assert.deepEqual(parsed.dims, [2, 3, 300]);
  assert.deepEqual(Array.from(parsed.data), Array.from(data));
  assert.equal(parsed.data.buffer, bytes.buffer);
  assert.equal(parsed.data.byteOffset, 4 + 3 * 4);
});

test('idx: works on a subarray that does not start at byte 0 of its buffer', () => {
  const inner = idxBytes([3], Uint8Array.from([7, 8, 9]));
  const outer = new Uint8Array(inner.length + 5);
  outer.set(inner, 5);
  const parsed = parseIdx(outer.subarray(5), FILE);
  assert.deepEqual(parsed.dims, [3]);
  assert.deepEqual(Array.from(parsed.data), [7, 8, 9]);
});

test('idx: bad magic number', () => {
  const bytes = idxBytes([1], Uint8Array.of(1));
  bytes[0] = 0x1f;
  assertFault(bytes, /bad magic number.*0x1F 0x00/);
});

test('idx: unsupported data type byte (float32) and unknown type byte', () => {
  assertFault(idxBytes([1], Uint8Array.of(0, 0, 0, 0), 0x0d), /unsupported IDX data type 0x0D \(float32\).*only 0x08/);
  assertFault(idxBytes([1], Uint8Array.of(0), 0x42), /unknown IDX data type 0x42/);
});

test('idx: rank 0, and a header shorter than its rank needs', () => {
  assertFault(Uint8Array.of(0, 0, 8, 0), /rank is 0/);
  assertFault(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1), /truncated header: rank 3 needs 16 header bytes, file has 8/);
  assertFault(Uint8Array.of(0, 0), /too short for an IDX header/);
});

test('idx: truncated data (fewer bytes than the dims declare)', () => {
  const bytes = idxBytes([10, 28, 28], new Uint8Array(10 * 784));
  assertFault(
    bytes.subarray(0, bytes.length - 100),
    /truncated: header declares 10×28×28 = 7840 data bytes but only 7740 follow/,
  );
});

test('idx: trailing bytes after the declared data', () => {
  assertFault(idxBytes([4], new Uint8Array(7)), /3 trailing bytes after the 4 data bytes the header declares/);
});
