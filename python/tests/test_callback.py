"""The callback on real Keras 3 (the backend KERAS_BACKEND names), read back by the reference reader."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import keras
import numpy as np
import pytest

import tensorlens
from run_reader import read_snapshot, runs_under
from tensorlens import TensorLens, _callback

if TYPE_CHECKING:
    from collections.abc import Callable

BACKEND = keras.backend.backend()


def chapter2_model() -> keras.Model:
    """The book's chapter 2 network."""
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def convnet_model() -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(8, 3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fit_digits(model, mnist, count, callbacks=(), *, epochs, batch_size, **fit_options):
    """`model.fit`, quietly, on the first `count` real digits (all of them for None), flattened."""
    images, labels = mnist
    return model.fit(
        images[:count].reshape(-1, 784),
        labels[:count],
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=list(callbacks),
        **fit_options,
    )


def only_run(base: Path = Path()):
    runs = runs_under(base)
    assert len(runs) == 1, [run.folder.name for run in runs]
    return runs[0]


class RaiseAtBatch(keras.callbacks.Callback):
    """The user's code failing mid-fit."""

    def __init__(self, batch: int) -> None:
        super().__init__()
        self.batch = batch

    def on_train_batch_end(self, batch, logs=None):
        if batch == self.batch:
            message = f"user error at batch {batch}\nsecond line"
            raise RuntimeError(message)


def test_chapter2_on_mnist_writes_a_complete_run(mnist):
    model = chapter2_model()
    history = fit_digits(model, mnist, None, [TensorLens(batch_interval=0)], epochs=2, batch_size=128)

    run = only_run()
    assert run.state == "ended"
    assert not run.torn_tail
    header = run.header
    assert header["process"]["pid"] == os.getpid()
    if sys.platform.startswith("linux"):
        assert isinstance(header["process"]["startTicks"], int)
    assert header["framework"] == {"name": "keras", "version": keras.__version__, "backend": BACKEND}
    assert "dense" in header["model"]["summary"]
    assert "Total params" in header["model"]["summary"]
    assert [layer["outputShape"] for layer in header["model"]["layers"]] == [[None, 512], [None, 10]]
    assert header["model"]["weights"] == [
        {"name": "sequential/dense/kernel", "shape": [784, 512], "dtype": "float32", "trainable": True},
        {"name": "sequential/dense/bias", "shape": [512], "dtype": "float32", "trainable": True},
        {"name": "sequential/dense_1/kernel", "shape": [512, 10], "dtype": "float32", "trainable": True},
        {"name": "sequential/dense_1/bias", "shape": [10], "dtype": "float32", "trainable": True},
    ]

    # 2,048 digits in batches of 128: 16 batches an epoch, one event each, counted once.
    batches = run.of("batch")
    assert [(b["epoch"], b["batch"]) for b in batches] == [(e, b) for e in range(2) for b in range(16)]
    assert [b["step"] for b in batches] == list(range(1, 33))
    assert all(b["batches"] == 1 for b in batches)
    assert set(batches[-1]["logs"]) >= {"loss", "accuracy"}

    epochs = run.of("epoch")
    assert [e["epoch"] for e in epochs] == [0, 1]
    assert [e["step"] for e in epochs] == [16, 32]
    # The last batch's running mean is the epoch's value.
    for epoch in epochs:
        assert math.isclose(epoch["logs"]["loss"], history.history["loss"][epoch["epoch"]], rel_tol=1e-6)
    last_batch = batches[-1]["logs"]["loss"]
    assert math.isclose(last_batch, epochs[-1]["logs"]["loss"], rel_tol=1e-5)

    end = run.of("end")[0]
    assert end["epochs"] == 2
    assert end["step"] == 32
    assert run.events[-1] is end

    snapshots = run.of("snapshot")
    assert snapshots[0]["reason"] == "begin"
    assert [s["reason"] for s in snapshots].count("epoch") == 2
    assert snapshots[-1]["reason"] == "epoch"
    assert [s["index"] for s in snapshots] == list(range(1, len(snapshots) + 1))

    # The last snapshot holds exactly the trained weights, and its statistics describe them.
    snapshot_header, values = read_snapshot(run, snapshots[-1])
    for weight, array in zip(model.weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(values[weight.path], array)
    kernel = next(w for w in snapshot_header["weights"] if w["name"] == "sequential/dense/kernel")
    trained = model.get_weights()[0]
    assert kernel["count"] == trained.size
    assert math.isclose(kernel["min"], float(trained.min()), rel_tol=1e-6)
    assert math.isclose(kernel["max"], float(trained.max()), rel_tol=1e-6)
    assert math.isclose(kernel["mean"], float(trained.astype(np.float64).mean()), rel_tol=1e-6, abs_tol=1e-9)
    assert math.isclose(kernel["std"], float(trained.astype(np.float64).std()), rel_tol=1e-6)
    assert kernel["nans"] == 0
    assert len(kernel["histogram"]["counts"]) == header["snapshots"]["histogramBins"]
    # 401,408 values: the histogram counts every 7th (at most 65,536), binned between the exact min and max.
    histogram = kernel["histogram"]
    sample = trained.reshape(-1).astype(np.float64)[::7]
    assert histogram["sampled"] == sample.size
    assert (histogram["low"], histogram["high"]) == (kernel["min"], kernel["max"])
    index = np.minimum(((sample - kernel["min"]) * (32 / (kernel["max"] - kernel["min"]))).astype(int), 31)
    assert histogram["counts"] == np.bincount(index, minlength=32).tolist()

    # The update size is ‖w - w_before‖ / ‖w_before‖ against the snapshot before.
    _, before = read_snapshot(run, snapshots[-2])
    previous = before["sequential/dense/kernel"].astype(np.float64)
    expected = np.linalg.norm(trained.astype(np.float64) - previous) / np.linalg.norm(previous)
    assert math.isclose(kernel["update"], expected, rel_tol=1e-5)
    first_header, _ = read_snapshot(run, snapshots[0])
    assert all(w["update"] is None for w in first_header["weights"])
    bias = next(w for w in first_header["weights"] if w["name"] == "sequential/dense/bias")
    assert bias["zeros"] == 512  # biases start at zero


def test_conv2d_kernel_is_rank_4_with_its_values(mnist):
    images, labels = mnist
    model = convnet_model()
    model.fit(
        images[:512, :, :, None], labels[:512], epochs=1, batch_size=64, verbose=0, callbacks=[TensorLens()]
    )

    run = only_run()
    assert run.state == "ended"
    weights = {w["name"]: w for w in run.header["model"]["weights"]}
    assert weights["conv2d/kernel"]["shape"] == [3, 3, 1, 8]
    layers = {layer["class"]: layer for layer in run.header["model"]["layers"]}
    assert layers["Conv2D"]["outputShape"] == [None, 26, 26, 8]
    assert layers["MaxPooling2D"]["params"] == 0
    _, values = read_snapshot(run, run.of("snapshot")[-1])
    np.testing.assert_array_equal(values["conv2d/kernel"], model.get_layer("conv2d").kernel.numpy())


def test_validation_split_logs_val_metrics_at_epoch_end(mnist):
    model = chapter2_model()
    fit_digits(
        model, mnist, None, [TensorLens(batch_interval=0)], epochs=2, batch_size=128, validation_split=0.25
    )
    run = only_run()
    assert run.state == "ended"
    for epoch in run.of("epoch"):
        assert set(epoch["logs"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    # 1,536 training digits: 12 batches an epoch; validation batches are not training batches.
    assert run.of("end")[0]["step"] == 24
    assert all("val_loss" not in b["logs"] for b in run.of("batch"))


def test_steps_per_execution_counts_every_batch(mnist):
    model = chapter2_model()
    model.compile(
        optimizer="rmsprop",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=4,
    )
    # 1,000 digits in batches of 100: 10 batches an epoch, hooks after batches 3, 7 and 9.
    fit_digits(model, mnist, 1000, [TensorLens(batch_interval=0)], epochs=2, batch_size=100)
    run = only_run()
    batches = run.of("batch")
    assert [(b["epoch"], b["batch"], b["batches"]) for b in batches] == [
        (e, b, n) for e in range(2) for b, n in ((3, 4), (7, 4), (9, 2))
    ]
    assert [b["step"] for b in batches] == [4, 8, 10, 14, 18, 20]
    assert run.of("end")[0]["step"] == 20


def test_without_batch_logging_epochs_still_count_batches(mnist):
    model = chapter2_model()
    callback = TensorLens(log_batches=False)
    fit_digits(model, mnist, 640, [callback], epochs=2, batch_size=64)
    run = only_run()
    assert run.of("batch") == []
    assert [e["step"] for e in run.of("epoch")] == [10, 20]
    assert keras.src.utils.python_utils.is_default(callback.on_train_batch_end)


def test_one_instance_reused_across_two_fits_makes_two_runs(mnist):
    model = chapter2_model()
    callback = TensorLens(run_name="cell one")
    fit_digits(model, mnist, 512, [callback], epochs=1, batch_size=128)
    first = callback.run_folder
    fit_digits(model, mnist, 512, [callback], epochs=2, batch_size=128)
    assert callback.run_folder != first

    runs = runs_under(Path())
    assert len(runs) == 2
    assert [run.state for run in runs] == ["ended", "ended"]
    assert sorted(run.of("end")[0]["step"] for run in runs) == [4, 8]
    assert all("cell-one" in run.folder.name and run.header["name"] == "cell one" for run in runs)


def test_a_fit_that_raises_is_recorded_failed_by_autolog(mnist):
    tensorlens.autolog()
    model = chapter2_model()
    with pytest.raises(RuntimeError, match="user error at batch 2"):
        fit_digits(model, mnist, 512, [RaiseAtBatch(2)], epochs=3, batch_size=64)
    run = only_run()
    assert run.state == "failed"
    end = run.of("end")[0]
    assert end["error"] == {"type": "RuntimeError", "message": "user error at batch 2"}
    assert end["epochs"] == 0


def test_a_reused_callback_ends_the_unfinished_run_before_the_next(mnist):
    model = chapter2_model()
    callback = TensorLens()
    with pytest.raises(RuntimeError):
        fit_digits(model, mnist, 256, [callback, RaiseAtBatch(1)], epochs=1, batch_size=64)
    fit_digits(model, mnist, 256, [callback], epochs=1, batch_size=64)
    states = sorted(run.state for run in runs_under(Path()))
    assert states == ["ended", "failed"]


def test_autolog_adds_one_callback_and_copies_the_users_list(mnist):
    images, labels = mnist
    x, y = images[:256].reshape(-1, 784), labels[:256]
    tensorlens.autolog()
    tensorlens.autolog()  # a notebook cell run twice
    assert keras.Model.fit.__tensorlens_autolog__
    user_callbacks = [keras.callbacks.History()]
    model = chapter2_model()
    model.fit(x, y, epochs=1, batch_size=64, verbose=0, callbacks=user_callbacks)
    assert len(user_callbacks) == 1
    assert len(runs_under(Path())) == 1

    # A TensorLens already in the list is the one used; positional callbacks work too.
    mine = TensorLens(run_name="mine")
    model.fit(x, y, 64, 1, 0, [mine])
    runs = runs_under(Path())
    assert len(runs) == 2
    assert sum(run.header["name"] == "mine" for run in runs) == 1

    tensorlens.autolog(disable=True)
    assert "fit" not in keras.Model.__dict__
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    assert len(runs_under(Path())) == 2


def test_autolog_options_reach_the_callback(tmp_path, mnist):
    tensorlens.autolog(log_dir=tmp_path / "elsewhere", run_name="auto")
    fit_digits(chapter2_model(), mnist, 128, epochs=1, batch_size=64)
    run = only_run(tmp_path / "elsewhere")
    assert run.header["name"] == "auto"
    with pytest.raises(ValueError, match="snapshot_budget"):
        tensorlens.autolog(snapshot_budget=0)


def test_its_own_errors_cost_one_warning_and_never_the_training(tmp_path, monkeypatch, mnist):
    monkeypatch.setattr(_callback, "STRICT", False)
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("the user's file", encoding="utf-8")
    model = chapter2_model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit_digits(model, mnist, 256, [TensorLens(log_dir=blocker)], epochs=2, batch_size=64)
    assert len(history.history["loss"]) == 2
    ours = [w for w in caught if issubclass(w.category, tensorlens.TensorLensWarning)]
    assert len(ours) == 1
    assert "training goes on" in str(ours[0].message)
    assert blocker.read_text(encoding="utf-8") == "the user's file"


def test_under_test_its_own_errors_are_raised(tmp_path, mnist):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError, match="file"):
        # 32: Keras' default batch size.
        fit_digits(chapter2_model(), mnist, 64, [TensorLens(log_dir=blocker)], epochs=1, batch_size=32)


def test_nan_logs_are_written_as_strings():
    x = np.ones((64, 4), dtype="float32")
    y = np.full((64, 1), np.nan, dtype="float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0, callbacks=[TensorLens()])
    run = only_run()
    assert run.of("epoch")[0]["logs"]["loss"] == "NaN"
    _, values = read_snapshot(run, run.of("snapshot")[-1])
    header, _ = read_snapshot(run, run.of("snapshot")[-1])
    kernel = next(w for w in header["weights"] if w["name"] == "sequential/dense/kernel")
    assert kernel["nans"] == 4
    assert kernel["min"] is None
    assert np.isnan(values["sequential/dense/kernel"]).all()


# ----- real child processes: an uncaught exception, a kill, and what the package imports -----

SCRIPT_PRELUDE = """
import os, sys, numpy as np, keras
from tensorlens import TensorLens
x = np.random.default_rng(0).random((4096, 8), dtype=np.float32)
y = (x.sum(axis=1) > 4).astype("int32")
layers = [keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2, activation="softmax")]
model = keras.Sequential([keras.Input((8,)), *layers])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""


def child(tmp_path: Path, body: str, **popen) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(SCRIPT_PRELUDE + textwrap.dedent(body), encoding="utf-8")
    env = {**os.environ, "KERAS_BACKEND": BACKEND, "TENSORLENS_STRICT": "1"}
    return subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=env, **popen)


def test_an_uncaught_exception_in_a_script_marks_the_plain_callback_failed(tmp_path):
    process = child(
        tmp_path,
        """
        class Boom(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                raise KeyError("no such column")
        model.fit(x, y, epochs=3, verbose=0, callbacks=[TensorLens(), Boom()])
        """,
        stderr=subprocess.PIPE,
    )
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    assert b"KeyError" in stderr  # the user's traceback is still printed
    run = only_run(tmp_path)
    assert run.state == "failed"
    assert run.of("end")[0]["error"] == {"type": "KeyError", "message": "'no such column'"}


def test_a_killed_process_leaves_a_run_that_reads_as_died(tmp_path):
    process = child(
        tmp_path,
        """
        class Announce(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                print("epoch", epoch, flush=True)
        model.fit(x, y, epochs=10_000, verbose=0, callbacks=[TensorLens(), Announce()])
        """,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"epoch")  # waits for the event, not a time
        run = only_run(tmp_path)
        assert run.state == "running"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    run = only_run(tmp_path)
    assert run.state == "died"
    assert run.of("end") == []


@pytest.mark.skipif(BACKEND != "jax", reason="checks Keras on JAX runs without TensorFlow")
def test_on_jax_the_package_never_imports_tensorflow(tmp_path):
    process = child(
        tmp_path,
        """
        model.fit(x, y, epochs=1, verbose=0, callbacks=[TensorLens()])
        import tensorlens
        tensorlens.autolog(gradients_after=0)  # gradients measured too, with jax alone
        model.fit(x, y, epochs=1, verbose=0)
        loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("tensorflow", "torch"))
        print(loaded)
        """,
        stdout=subprocess.PIPE,
    )
    stdout, _ = process.communicate(timeout=300)
    assert process.returncode == 0
    assert stdout.decode().strip().splitlines()[-1] == "[]"
    assert [run.state for run in runs_under(tmp_path)] == ["ended", "ended"]
    # The autolog run measured gradients (with jax), the plain callback's had no probe.
    assert [bool(run.of("gradients")) for run in runs_under(tmp_path)] == [False, True]


def test_the_package_imports_only_keras_and_numpy():
    source = Path(tensorlens.__file__).parent
    imported = set()
    for path in source.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                imported.add(words[1].split(".")[0])
    assert not imported & {"tensorflow", "jax", "torch"}
    assert {"keras", "numpy"} <= imported
    # The one exception: the backend's own autodiff, imported by name for that backend only.
    texts = {path.name: path.read_text(encoding="utf-8") for path in source.glob("*.py")}
    dynamic = {name for name, text in texts.items() if "import_module(" in text}
    assert dynamic == {"_gradients.py"}


def test_batch_events_arrive_while_fit_runs(tmp_path):
    """A reader sees batches before fit ends: every record is flushed when written."""
    seen_during_fit = []

    class Peek(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            run = only_run(tmp_path)
            seen_during_fit.append((run.state, sum(b["batches"] for b in run.of("batch")), run.torn_tail))

    x = np.random.default_rng(0).random((256, 8), dtype=np.float32)
    y = np.zeros((256,), dtype="int32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[TensorLens(), Peek()])
    assert seen_during_fit == [("running", 8, False), ("running", 16, False)]


def test_a_model_built_by_its_first_batch_gets_its_header_then(mnist):
    """The book's Sequential has no Input: weights, shapes and summary exist only after a batch."""
    model = keras.Sequential(
        [keras.layers.Dense(512, activation="relu"), keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    fit_digits(model, mnist, 256, [TensorLens()], epochs=1, batch_size=64)
    run = only_run()
    assert run.events[0]["type"] == "header"
    assert [w["shape"] for w in run.header["model"]["weights"]] == [[784, 512], [512], [512, 10], [10]]
    # Built from a batch, the batch dimension may be that batch's size instead of null.
    assert [layer["outputShape"][1:] for layer in run.header["model"]["layers"]] == [[512], [10]]
    assert "?" not in run.header["model"]["summary"]
    assert [e["type"] for e in run.events[1:3]] == ["snapshot", "batch"]
    begin, _ = read_snapshot(run, run.of("snapshot")[0])
    assert len(begin["weights"]) == 4


def test_a_fit_failing_before_the_model_is_built_still_records_the_run():
    tensorlens.autolog()

    class FailFirst(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            message = "no data today"
            raise ConnectionError(message)

    model = keras.Sequential([keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ConnectionError):
        model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=1, verbose=0, callbacks=[FailFirst()])
    run = only_run()
    assert run.state == "failed"
    assert run.events[0]["type"] == "header"  # with the weights where the backend built them
    assert run.of("end")[0]["error"] == {"type": "ConnectionError", "message": "no data today"}


def test_batch_events_from_keras_callback_thread_are_written_in_step_order():
    """Keras may run the batch hook of an async-safe callback on its thread pool, out of order."""
    model = chapter2_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", steps_per_execution=4)
    callback = TensorLens(batch_interval=0)
    callback.set_model(model)
    callback.set_params({"epochs": 1, "steps": 10, "verbose": 0})
    callback.on_train_begin()
    callback.on_epoch_begin(0)
    for reported in (7, 11, 3):  # Keras names the last, shorter group's end 11
        callback.on_train_batch_end(reported, {"loss": float(reported)})
    callback.on_epoch_end(0, {"loss": 1.0})
    callback.on_train_end()
    run = only_run()
    assert [(b["batch"], b["batches"], b["step"], b["logs"]["loss"]) for b in run.of("batch")] == [
        (3, 4, 4, 3.0),
        (7, 4, 8, 7.0),
        (9, 2, 10, 11.0),
    ]
    assert run.of("epoch")[0]["step"] == 10
    assert run.state == "ended"


def test_batch_events_are_coalesced_to_the_interval_and_still_count_every_batch(mnist):
    model = chapter2_model()
    callback = TensorLens(batch_interval=3600)
    fit_digits(model, mnist, 640, [callback], epochs=2, batch_size=64)
    run = only_run()
    for epoch in (0, 1):
        events = [b for b in run.of("batch") if b["epoch"] == epoch]
        assert 1 <= len(events) <= 2
        assert sum(b["batches"] for b in events) == 10
        assert events[-1]["batch"] == 9
    assert [b["step"] for b in run.of("batch")][-1] == 20
    # The last event of an epoch carries the epoch's running mean: the epoch's value.
    last = [b for b in run.of("batch") if b["epoch"] == 1][-1]
    assert math.isclose(last["logs"]["loss"], run.of("epoch")[1]["logs"]["loss"], rel_tol=1e-5)


def test_budget_snapshots_keep_values_of_small_tensors_only(mnist):
    model = chapter2_model()
    # Budget 1 and no minimum interval: a snapshot is due again as soon as the last one's cost has passed.
    callback = TensorLens(snapshot_budget=1, snapshot_min_interval=0)
    fit_digits(model, mnist, 1024, [callback], epochs=1, batch_size=32)
    run = only_run()
    assert run.header["snapshots"]["budgetRawMaxElements"] == 65536
    by_reason = {}
    for event in run.of("snapshot"):
        by_reason.setdefault(event["reason"], []).append(event)
    assert by_reason["budget"], "no snapshot between epochs"
    steps = [event["step"] for event in run.of("snapshot")]
    assert steps == sorted(steps)
    budget_header, budget_values = read_snapshot(run, by_reason["budget"][0])
    assert set(budget_values) == {
        "sequential/dense/bias",
        "sequential/dense_1/kernel",
        "sequential/dense_1/bias",
    }
    kernel = next(w for w in budget_header["weights"] if w["name"] == "sequential/dense/kernel")
    assert kernel["values"] is None
    assert kernel["update"] is not None  # statistics and update sizes still cover every tensor
    _, epoch_values = read_snapshot(run, by_reason["epoch"][0])
    assert "sequential/dense/kernel" in epoch_values


def fit_small_with_deprecations_raised(make_callback: Callable[[np.ndarray, np.ndarray], TensorLens]) -> None:
    """Two epochs of a Dense(3) on 64 samples; the callback made and used where DeprecationWarning raises."""
    x, y = np.ones((64, 4), dtype="float32"), np.zeros((64, 3))
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[make_callback(x, y)])


def test_reading_weights_raises_no_numpy_warning():
    """NumPy 2 warns about np.array() of a TensorFlow variable; users must not see that from us."""
    fit_small_with_deprecations_raised(lambda _x, _y: TensorLens())
    assert only_run().state == "ended"
