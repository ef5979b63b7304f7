"""A live Keras run for the host's tests (test/integration/extension/kerasRuns.test.ts).

A small Dense fit with the tensorlens callback, writing under LOG_DIR/.tensorlens/runs/, that paces
itself (PAUSE seconds after each batch) so a reader sees its batches arrive over several looks:
    <venv python> keras_live_run.py LOG_DIR EPOCHS PAUSE
It prints "started" once its first batch is logged; a test may SIGKILL it from then on.
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np
from keras import layers
from tensorlens import TensorLens


class Pace(keras.callbacks.Callback):
    """Sleeps after each batch: the writer's pace, not the test's synchronisation."""

    def __init__(self, pause: float) -> None:
        super().__init__()
        self.pause = pause
        self.said = False

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:  # noqa: ARG002
        if not self.said:
            print("started", flush=True)
            self.said = True
        time.sleep(self.pause)


def main() -> None:
    """One fit of a 12 → 16 → 3 Dense network on random data, 10 batches an epoch."""
    log_dir, epochs, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    rng = np.random.default_rng(21)
    keras.utils.set_random_seed(21)
    x = rng.random((200, 12), dtype=np.float32)
    y = rng.integers(0, 3, len(x))
    model = keras.Sequential([keras.Input((12,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=16,
        validation_split=0.2,
        verbose=0,
        callbacks=[TensorLens(log_dir=log_dir, run_name="live"), Pace(pause)],
    )


if __name__ == "__main__":
    main()
