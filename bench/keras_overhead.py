"""What the TensorLens callback (defaults) adds to `fit`: the book's chapter 2 run with and without it.

Same process, interleaved (with/without, then without/with, ...), each fit a fresh model from the
same seed on the same 60,000 MNIST digits, 5 epochs, batch 128. The backend is KERAS_BACKEND's.
Prints one JSON line; the overhead is the median over pairs of (with / without - 1).

`--probe` gives the callback a probe batch (what `tensorlens.autolog()` takes from `fit`'s arrays),
so the run also measures gradient norms; without it the callback has none.

Run: KERAS_BACKEND=jax <venv>/bin/python bench/keras_overhead.py --data DIR [--pairs 3] [--probe]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

# TensorFlow's startup banner would mix into stderr; stdout carries only the JSON.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras

from tensorlens import TensorLens

if TYPE_CHECKING:
    import numpy as np

# The examples' IDX reader (one copy): examples/ is not a package, so it is put on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from mnist_idx import read_idx


def chapter2_fit(
    x: np.ndarray, y: np.ndarray, epochs: int, callbacks: list[keras.callbacks.Callback]
) -> float:
    """Seconds of one `fit` of the book's network, built fresh from the same seed."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(2)
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    started = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=128, verbose=0, callbacks=callbacks)
    return time.perf_counter() - started


def main() -> None:
    """Measure and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="folder with the MNIST IDX files")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--probe", action="store_true", help="measure gradients on x[:32], y[:32]")
    args = parser.parse_args()
    x = read_idx(args.data / "train-images-idx3-ubyte", 3).reshape(-1, 784).astype("float32") / 255
    y = read_idx(args.data / "train-labels-idx1-ubyte", 1).astype("int32")

    log_dir = Path(tempfile.mkdtemp(prefix="tensorlens-bench-"))
    try:
        options = {"probe": (x, y)} if args.probe else {}
        # Imports and first compile.
        chapter2_fit(x[:1024], y[:1024], 1, [TensorLens(log_dir=log_dir, **options)])
        without: list[float] = []
        with_callback: list[float] = []
        snapshot_seconds: list[float] = []
        gradient_seconds: list[float] = []
        for pair in range(args.pairs):
            for use in (True, False) if pair % 2 == 0 else (False, True):
                if use:
                    callback = TensorLens(log_dir=log_dir, **options)
                    with_callback.append(chapter2_fit(x, y, args.epochs, [callback]))
                    folder = callback.run_folder or log_dir
                    events = [json.loads(line) for line in (folder / "events.jsonl").open()]
                    snapshots = [e for e in events if e["type"] == "snapshot"]
                    snapshot_seconds.append(sum(e["seconds"] for e in snapshots))
                    snapshot_count = len(snapshots)
                    gradients = [e for e in events if e["type"] == "gradients"]
                    gradient_seconds.append(sum(e["seconds"] for e in gradients))
                    gradient_count = len(gradients)
                else:
                    without.append(chapter2_fit(x, y, args.epochs, []))
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)  # only what this script wrote

    ratios = [w / o - 1 for w, o in zip(with_callback, without, strict=True)]
    print(
        json.dumps(
            {
                "backend": keras.backend.backend(),
                "keras": keras.__version__,
                "epochs": args.epochs,
                "samples": int(x.shape[0]),
                "pairs": args.pairs,
                "withoutSeconds": [round(s, 3) for s in without],
                "withSeconds": [round(s, 3) for s in with_callback],
                "overheadPercent": round(100 * statistics.median(ratios), 2),
                "overheadPercentPerPair": [round(100 * r, 2) for r in ratios],
                "snapshotsPerRun": snapshot_count,
                "snapshotSecondsPerRun": [round(s, 3) for s in snapshot_seconds],
                "gradientsPerRun": gradient_count,
                "gradientSecondsPerRun": [round(s, 3) for s in gradient_seconds],
            }
        )
    )


if __name__ == "__main__":
    main()
