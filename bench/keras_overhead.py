"""What the TensorLens callback (defaults) adds to `fit`: the book's chapter 2 run with and without it.

Same process, interleaved (with/without, then without/with, ...), each fit a fresh model from the
same seed on the same 60,000 MNIST digits, 5 epochs, batch 128. The backend is KERAS_BACKEND's.
Prints one JSON line; the overhead is the median over pairs of (with / without - 1).

TensorFlow's input pipeline stalls now and then at an epoch's start: the epoch's first batch takes
about 1 s instead of 15 ms, in about a quarter of the later epochs, with the callback or without it
(`stallsWith`, `stallsWithout`). One stall is 10 % of a 10 s fit, so pairs differ by ±20 % from
stalls alone. Two figures leave them out:
- `steadyOverheadPercent`: the median epoch after the first, from its second batch's start to its
  end (its end hooks and snapshot included), with the callback over without it;
- `hookPercentOfFit`: the time spent inside the callback's hooks over the fit's. On TensorFlow the
  hooks run on the training thread, so this is what they add directly.

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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# TensorFlow's startup banner would mix into stderr; stdout carries only the JSON.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras

from tensorlens import TensorLens

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

# The examples' IDX reader (one copy): examples/ is not a package, so it is put on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from mnist_idx import read_idx

# A first batch this much slower than the fit's fastest is a stall (they take about 1 s; batches 15 ms).
STALL_SECONDS = 0.3


@dataclass
class Fit:
    """One timed `fit`."""

    seconds: float
    # Each epoch after the first: its first batch, and from its second batch's start to its end.
    first_batches: list[float]
    steady_epochs: list[float]
    # Seconds inside the TensorLens hooks (0 without it); on TensorFlow they run on the training thread.
    hook_seconds: float

    @property
    def stalls(self) -> int:
        """The later epochs whose first batch stalled."""
        fastest = min(self.first_batches, default=0.0)
        return sum(f > fastest + STALL_SECONDS for f in self.first_batches)


class EpochClock(keras.callbacks.Callback):
    """When each epoch and its second batch began; first in the callbacks, so others count after it."""

    def __init__(self) -> None:
        """No epoch yet."""
        super().__init__()
        self.epoch_starts: list[float] = []
        self.second_batch_starts: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:  # noqa: ARG002
        """The epoch begins (after the previous one's end hooks, ours included)."""
        self.epoch_starts.append(time.perf_counter())

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:  # noqa: ARG002
        """The second batch begins where the first ended."""
        if batch == 1:
            self.second_batch_starts.append(time.perf_counter())


class TimedTensorLens(TensorLens):
    """TensorLens with the seconds spent in its hooks added up."""

    hook_seconds = 0.0

    def _timed(self, hook: Callable[..., None], *args: object) -> None:
        started = time.perf_counter()
        hook(*args)
        self.hook_seconds += time.perf_counter() - started

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Timed."""
        self._timed(super().on_train_begin, logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Timed."""
        self._timed(super().on_epoch_begin, epoch, logs)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Timed."""
        self._timed(super().on_train_batch_begin, batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Timed."""
        self._timed(super().on_train_batch_end, batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Timed."""
        self._timed(super().on_epoch_end, epoch, logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        """Timed."""
        self._timed(super().on_train_end, logs)


def chapter2_fit(x: np.ndarray, y: np.ndarray, epochs: int, callbacks: list[keras.callbacks.Callback]) -> Fit:
    """One `fit` of the book's network, built fresh from the same seed, timed."""
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
    clock = EpochClock()
    started = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=128, verbose=0, callbacks=[clock, *callbacks])
    ended = time.perf_counter()
    # An epoch ends where the next begins (its end hooks run in between), the last where fit returns.
    ends = [*clock.epoch_starts[1:], ended]
    later = range(1, len(clock.second_batch_starts))
    return Fit(
        seconds=ended - started,
        first_batches=[clock.second_batch_starts[e] - clock.epoch_starts[e] for e in later],
        steady_epochs=[ends[e] - clock.second_batch_starts[e] for e in later],
        hook_seconds=sum(getattr(c, "hook_seconds", 0.0) for c in callbacks),
    )


def steady_ratio(with_callback: list[Fit], without: list[Fit]) -> float:
    """Median steady epoch with the callback ÷ without it, - 1."""
    epochs_with = [s for fit in with_callback for s in fit.steady_epochs]
    epochs_without = [s for fit in without for s in fit.steady_epochs]
    return statistics.median(epochs_with) / statistics.median(epochs_without) - 1


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
        without: list[Fit] = []
        with_callback: list[Fit] = []
        snapshot_seconds: list[float] = []
        gradient_seconds: list[float] = []
        for pair in range(args.pairs):
            for use in (True, False) if pair % 2 == 0 else (False, True):
                if use:
                    callback = TimedTensorLens(log_dir=log_dir, **options)
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

    pairs = list(zip(with_callback, without, strict=True))
    ratios = [w.seconds / o.seconds - 1 for w, o in pairs]
    print(
        json.dumps(
            {
                "backend": keras.backend.backend(),
                "keras": keras.__version__,
                "epochs": args.epochs,
                "samples": int(x.shape[0]),
                "pairs": args.pairs,
                "withoutSeconds": [round(f.seconds, 3) for f in without],
                "withSeconds": [round(f.seconds, 3) for f in with_callback],
                "overheadPercent": round(100 * statistics.median(ratios), 2),
                "overheadPercentPerPair": [round(100 * r, 2) for r in ratios],
                "steadyOverheadPercent": round(100 * steady_ratio(with_callback, without), 2),
                "steadyOverheadPercentPerPair": [round(100 * steady_ratio([w], [o]), 2) for w, o in pairs],
                "stallsWithout": sum(f.stalls for f in without),
                "stallsWith": sum(f.stalls for f in with_callback),
                "laterEpochsPerArm": sum(len(f.first_batches) for f in without),
                "hookSecondsPerRun": [round(f.hook_seconds, 3) for f in with_callback],
                "hookPercentOfFit": round(
                    100 * statistics.median(f.hook_seconds / f.seconds for f in with_callback), 2
                ),
                "snapshotsPerRun": snapshot_count,
                "snapshotSecondsPerRun": [round(s, 3) for s in snapshot_seconds],
                "gradientsPerRun": gradient_count,
                "gradientSecondsPerRun": [round(s, 3) for s in gradient_seconds],
            }
        )
    )


if __name__ == "__main__":
    main()
