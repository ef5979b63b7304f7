"""Writes the reader's fixture runs (test/fixtures/keras-runs/.tensorlens/runs/) with real Keras fits.

The files are what the `tensorlens` callback writes (docs/run-format.md), so the TypeScript reader
(src/shared/runFormat, src/shared/node/runFiles.ts) is tested on a real writer's output:

- dense-tf: a small Dense network on the TensorFlow backend with validation_split (ended);
- conv-jax: a Conv2D network on the JAX backend (ended);
- failed-tf: a fit whose callback raises mid-epoch, uncaught (failed);
- killed-jax: a process that SIGKILLs itself mid-fit (no end record, its pid gone: died).

Run it with the tensorlens environment (`npm run setup:python` prints its Python as the last line):
    <venv python> test/support/make_keras_runs.py
Each case runs in its own process (Keras picks its backend at import). Old runs are removed first,
only inside test/fixtures/keras-runs/.tensorlens/runs/ (the folder this script writes).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "keras-runs"
CASES = {"dense-tf": "tensorflow", "conv-jax": "jax", "failed-tf": "tensorflow", "killed-jax": "jax"}


def run_case(case: str) -> None:
    import keras
    import numpy as np
    from keras import layers

    from tensorlens import TensorLens

    rng = np.random.default_rng(21)
    keras.utils.set_random_seed(21)
    if case.startswith("conv"):
        x = rng.random((96, 8, 8, 1), dtype=np.float32)
        model = keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                layers.Conv2D(4, 3, activation="relu"),
                layers.MaxPooling2D(2),
                layers.Flatten(),
                layers.Dense(3, activation="softmax"),
            ]
        )
    else:
        x = rng.random((160, 12), dtype=np.float32)
        # No Input: built by its first batch, as the book's chapter 2 Sequential is.
        model = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")])
    y = rng.integers(0, 3, len(x))
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class Stop(keras.callbacks.Callback):
        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            if self.params and batch == 2 and getattr(self, "epoch", 0) == 1:
                if case == "failed-tf":
                    raise RuntimeError("loss went to the moon at epoch 1, batch 2")
                if case == "killed-jax":
                    os.kill(os.getpid(), signal.SIGKILL)

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.epoch = epoch

    extra = {"validation_split": 0.2} if case == "dense-tf" else {}
    model.fit(
        x,
        y,
        epochs=3,
        batch_size=16,
        verbose=0,
        callbacks=[TensorLens(log_dir=OUT, run_name=case), Stop()],
        **extra,
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run_case(sys.argv[2])
        return
    runs = OUT / ".tensorlens" / "runs"
    if runs.exists():
        shutil.rmtree(runs)
    for case, backend in CASES.items():
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
        done = subprocess.run([sys.executable, __file__, "--case", case], env=env, check=False)
        expected = {"failed-tf": 1, "killed-jax": -signal.SIGKILL}.get(case, 0)
        if done.returncode != expected:
            sys.exit(f"{case}: exit code {done.returncode}, expected {expected}")
        print(f"{case}: exit code {done.returncode} as expected")


if __name__ == "__main__":
    main()
