"""The book's chapter-2 program (Deep Learning with Python) on Keras 3 / TensorFlow, the bench's yardstick.

The same model, optimizer, batch size and epochs as Tensor Lens, trained on the same MNIST IDX files
(no download), for `npm run bench`. Prints one JSON object on stdout: per-epoch times, samples/s,
train and test accuracy. Run with the environment `npm run setup:reference` makes:

    ~/.cache/tensor-lens/reference-venv/bin/python bench/keras_reference.py --data DIR [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

# TensorFlow's startup banner would mix into stderr; stdout carries only the JSON.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# The examples' IDX reader (one copy): examples/ is not a package, so it is put on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from mnist_idx import read_idx


def main() -> None:
    """Train the book's model as the command line asks and print the JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder with the four uncompressed MNIST IDX files")
    parser.add_argument("--threads", default="default", help='"default" (TensorFlow decides) or a number')
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--train-limit", type=int, default=0, help="first N training samples only; 0 = all")
    args = parser.parse_args()

    # Imported here, not at the top: `importSeconds` times it, and `--help` needs no TensorFlow.
    imported = time.perf_counter()
    import keras  # noqa: PLC0415 - timed
    import tensorflow as tf  # noqa: PLC0415 - timed
    from keras import layers  # noqa: PLC0415 - timed

    import_seconds = time.perf_counter() - imported
    if args.threads != "default":
        tf.config.threading.set_intra_op_parallelism_threads(int(args.threads))
        tf.config.threading.set_inter_op_parallelism_threads(int(args.threads))
    keras.utils.set_random_seed(42)

    data = Path(args.data)
    train_images = read_idx(data / "train-images-idx3-ubyte", 3)
    train_labels = read_idx(data / "train-labels-idx1-ubyte", 1)
    test_images = read_idx(data / "t10k-images-idx3-ubyte", 3)
    test_labels = read_idx(data / "t10k-labels-idx1-ubyte", 1)
    if args.train_limit:
        train_images, train_labels = train_images[: args.train_limit], train_labels[: args.train_limit]

    # The book, chapter 2, listings 2.2 to 2.5.
    model = keras.Sequential([layers.Dense(512, activation="relu"), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    train_images = train_images.reshape((len(train_images), 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 28 * 28)).astype("float32") / 255

    class EpochTimes(keras.callbacks.Callback):
        """Each epoch's wall time, loss and accuracy, appended to `epochs`."""

        def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:  # noqa: ARG002
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            seconds = time.perf_counter() - self.started
            epochs.append(
                {
                    "epoch": epoch + 1,
                    "seconds": seconds,
                    "samplesPerSecond": len(train_images) / seconds,
                    "loss": float(logs["loss"]),
                    "accuracy": float(logs["accuracy"]),
                }
            )

    epochs = []
    fit_started = time.perf_counter()
    model.fit(
        train_images, train_labels, epochs=args.epochs, batch_size=128, verbose=0, callbacks=[EpochTimes()]
    )
    fit_seconds = time.perf_counter() - fit_started
    test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)

    json.dump(
        {
            "engine": f"Keras {keras.__version__} on TensorFlow {tf.__version__}",
            "threads": args.threads,
            "samples": len(train_images),
            "epochs": epochs,
            "fitSeconds": fit_seconds,
            "samplesPerSecond": args.epochs * len(train_images) / fit_seconds,
            "trainAccuracy": epochs[-1]["accuracy"],
            "testLoss": float(test_loss),
            "testAccuracy": float(test_acc),
            "importSeconds": import_seconds,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
