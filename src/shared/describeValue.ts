// Any value described in a few words for a log line, in bounded work: a string's length and start,
// an array's length, a typed array's bytes, never its items or an object's keys. A value a webview
// sends can be millions of items (serialising one whole took the host's main thread over a second),
// and listing a huge object's keys costs as much as reading them.

/** Characters of a string shown before it is cut. */
const SHOWN_CHARS = 32;

export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return value.length <= SHOWN_CHARS
          ? JSON.stringify(value)
          : `${JSON.stringify(value.slice(0, SHOWN_CHARS))}… (${value.length} characters)`;
      case 'number':
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'bigint':
        // Its digits could be millions.
        return 'a bigint';
      case 'symbol':
        return 'a symbol';
      case 'function':
        return 'a function';
      case 'object':
        if (value === null) return 'null';
        if (Array.isArray(value)) return `an array of ${value.length} items`;
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
          return `a ${Object.prototype.toString.call(value).slice(8, -1)} of ${value.byteLength} bytes`;
        return 'an object';
    }
  } catch {
    // A getter that throws or a revoked Proxy: nothing more can be said safely.
  }
  return 'a value that cannot be described';
}
