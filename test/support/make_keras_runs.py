"""Writes the reader's fixture runs (test/fixtures/keras-runs/.tensorlens/runs/) with real Keras fits.

The files are what the `tensorlens` callback writes (docs/run-format.md), so the TypeScript reader
(src/shared/runFormat, src/shared/node/runFiles.ts) is tested on a real writer's output:

- dense-tf: a small Dense network on the TensorFlow backend with validation_split (ended);
- conv-jax: a Conv2D network on the JAX backend (ended);
- failed-tf: a fit whose callback raises mid-epoch, uncaught (failed);
- killed-jax: a process that SIGKILLs itself mid-fit (no end record, its pid gone: died).

dense-tf and conv-jax get a probe batch, so they have gradient norms (§2.5); the other two have
none (their header says: no probe batch).

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
# Where the failed and the killed runs stop: epoch 1, after its batch 2 (step 13 of 10-batch epochs).
STOP_EPOCH, STOP_BATCH = 1, 2
CASE_ARGS = 3  # argv: script, --case, name


def run_case(case: str) -> None:
    """One fit, in this process, on the backend KERAS_BACKEND names."""
    # Imported here: Keras reads KERAS_BACKEND at import, which the parent sets per case.
    import keras  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415
    from keras import layers  # noqa: PLC0415

    from tensorlens import TensorLens  # noqa: PLC0415

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
        """Raises (failed-tf) or SIGKILLs the process (killed-jax) mid-fit."""

        epoch = 0

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:  # noqa: ARG002
            self.epoch = epoch

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:  # noqa: ARG002
            if (self.epoch, batch) != (STOP_EPOCH, STOP_BATCH):
                return
            if case == "failed-tf":
                message = f"loss went to the moon at epoch {STOP_EPOCH}, batch {STOP_BATCH}"
                raise RuntimeError(message)
            if case == "killed-jax":
                os.kill(os.getpid(), signal.SIGKILL)

    extra = {"validation_split": 0.2} if case == "dense-tf" else {}
    # From the start and at every epoch's end: by default gradients wait for 50 s of training and then
    # take 1 % of it, and these runs last a second or two.
    gradients = {"probe": (x, y), "gradients_after": 0, "gradient_budget": 1}
    probe = gradients if case in ("dense-tf", "conv-jax") else {}
    model.fit(
        x,
        y,
        epochs=3,
        batch_size=16,
        verbose=0,
        callbacks=[TensorLens(log_dir=OUT, run_name=case, **probe), Stop()],
        **extra,
    )


def main() -> None:
    """Every case in its own process, the old runs replaced."""
    if len(sys.argv) == CASE_ARGS and sys.argv[1] == "--case":
        run_case(sys.argv[2])
        return
    runs = OUT / ".tensorlens" / "runs"
    if runs.exists():
        shutil.rmtree(runs)
    for case, backend in CASES.items():
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        done = subprocess.run([sys.executable, __file__, "--case", case], env=env, check=False)
        expected = {"failed-tf": 1, "killed-jax": -signal.SIGKILL}.get(case, 0)
        if done.returncode != expected:
            sys.exit(f"{case}: exit code {done.returncode}, expected {expected}")
        print(f"{case}: exit code {done.returncode} as expected")


if __name__ == "__main__":
    main()
