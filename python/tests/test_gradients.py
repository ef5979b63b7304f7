"""Gradient norms on a probe batch (docs/run-format.md §2.5), on real Keras 3 and real MNIST digits."""

from __future__ import annotations

import math
import time
import warnings

import keras
import numpy as np
import pytest

import tensorlens
from tensorlens import TensorLens, _callback
from tensorlens._callback import _to_numpy
from test_callback import BACKEND, chapter2_model, fit_digits, fit_small_with_deprecations_raised, only_run

MEASURED = BACKEND in ("tensorflow", "jax")
needs_autodiff = pytest.mark.skipif(not MEASURED, reason="gradients are measured on TensorFlow and JAX")


def probe_of(mnist, count=32):
    images, labels = mnist
    return images[:count].reshape(-1, 784), labels[:count]


@needs_autodiff
def test_gradient_norms_of_a_probe_batch_are_written_per_trainable_weight(mnist):
    model = chapter2_model()
    x, y = probe_of(mnist, 100)
    fit_digits(
        model,
        mnist,
        1024,
        [TensorLens(probe=(x, y), gradients_after=0, gradient_budget=1)],
        epochs=2,
        batch_size=128,
    )

    run = only_run()
    assert run.header["gradients"] == {
        "available": True,
        "reason": None,
        "probe": 32,
        "budget": 1,
        "after": 0,
    }
    gradients = run.of("gradients")
    # One before training, one at each epoch's end (and maybe budgeted ones between).
    assert len(gradients) >= 3
    assert (gradients[0]["step"], gradients[0]["batch"]) == (0, -1)
    assert [g["step"] for g in gradients if g["batch"] == 7] == [8, 16]
    names = [w["name"] for w in run.header["model"]["weights"] if w["trainable"]]
    for event in gradients:
        assert event["probe"] == 32
        assert [w["name"] for w in event["weights"]] == names
        assert all(w["norm"] > 0 for w in event["weights"])
        assert event["seconds"] >= 0

    # The last one measured the trained weights: Keras' own loss on the probe's 32 digits…
    last = gradients[-1]
    loss = model.evaluate(x[:32], y[:32], verbose=0, return_dict=True)["loss"]
    assert math.isclose(last["loss"], loss, rel_tol=1e-4)
    # …and for softmax + cross-entropy, d mean loss / d output bias = mean(softmax - one-hot).
    probabilities = model.predict(x[:32], verbose=0).astype(np.float64)
    expected = np.linalg.norm((probabilities - np.eye(10)[y[:32]]).mean(axis=0))
    assert math.isclose(last["weights"][-1]["norm"], expected, rel_tol=1e-3)
    # Training lowered the probe's loss.
    assert last["loss"] < gradients[0]["loss"]


@needs_autodiff
def test_gradients_between_steps_read_the_weights_of_that_step(mnist):
    """Budgeted measurements run between steps, where a JAX model's own variables hold no values."""
    model = chapter2_model()
    callback = TensorLens(
        probe=probe_of(mnist), snapshot_min_interval=0, gradient_budget=1, gradients_after=0
    )
    fit_digits(model, mnist, 512, [callback], epochs=2, batch_size=64)
    gradients = only_run().of("gradients")
    between = [g for g in gradients if g["batch"] not in (-1, 7)]
    # The first is due at the first step after the header's measurement (later ones depend on time).
    assert between[0]["step"] == 1
    assert all(w["norm"] > 0 for g in between for w in g["weights"])
    # It saw the weights after that step, not the ones before training.
    assert between[0]["loss"] < gradients[0]["loss"]


@needs_autodiff
def test_measuring_gradients_changes_nothing_in_training(mnist):
    """The probe's loss runs statelessly: no metric, weight or optimizer state sees it."""
    histories = []
    for options in ({"probe": probe_of(mnist), "gradients_after": 0}, {"gradients": False}):
        keras.backend.clear_session()
        keras.utils.set_random_seed(1)
        model = chapter2_model()
        history = fit_digits(model, mnist, 512, [TensorLens(**options)], epochs=2, batch_size=64)
        histories.append((history.history, [_to_numpy(v) for v in model.weights]))
    (with_logs, with_weights), (without_logs, without_weights) = histories
    assert with_logs == without_logs
    for a, b in zip(with_weights, without_weights, strict=True):
        np.testing.assert_array_equal(a, b)


@needs_autodiff
def test_autolog_takes_the_probe_from_fits_arrays(mnist):
    tensorlens.autolog(gradients_after=0)
    fit_digits(chapter2_model(), mnist, 256, epochs=1, batch_size=64)
    run = only_run()
    assert run.header["gradients"]["available"] is True
    assert run.header["gradients"]["probe"] == 32
    assert len(run.of("gradients")) >= 2


@needs_autodiff
def test_measurements_after_the_first_stay_within_the_budget(mnist):
    """Every measurement is due only while all of them, it included, cost at most the budget's share."""
    images, labels = mnist
    x, y = images.reshape(-1, 784), labels
    callback = TensorLens(probe=(x, y), gradients_after=0, gradient_budget=0.01, snapshot_min_interval=0)
    model = chapter2_model()
    started = time.perf_counter()
    model.fit(x, y, epochs=6, batch_size=32, verbose=0, callbacks=[callback])
    trained = time.perf_counter() - started
    gradients = only_run().of("gradients")
    # The first compiles (gradients_after chose when: not charged); the others fit in 1 % of the run,
    # but for the last one due: its cost is known only once it is measured.
    charged = [g["seconds"] for g in gradients[1:]]
    assert sum(charged) <= 0.01 * trained + max(charged)
    assert len(gradients) >= 2


def test_by_default_a_short_run_pays_nothing_for_gradients(mnist):
    """The first measurement compiles (about 0.5 s): it waits for 0.5 s / budget of training."""
    fit_digits(chapter2_model(), mnist, 256, [TensorLens(probe=probe_of(mnist))], epochs=2, batch_size=64)
    run = only_run()
    assert run.header["gradients"]["after"] == 50
    assert run.header["gradients"]["available"] is MEASURED
    assert run.of("gradients") == []


def test_a_run_without_a_probe_says_why_it_has_no_gradients(mnist):
    fit_digits(chapter2_model(), mnist, 256, [TensorLens()], epochs=1, batch_size=64)
    run = only_run()
    header = run.header["gradients"]
    assert header["available"] is False
    assert header["probe"] is None
    expected = "no probe batch" if MEASURED else f"the {BACKEND} backend"
    assert header["reason"].startswith(expected)
    assert run.of("gradients") == []


def test_gradients_turned_off_say_so(mnist):
    fit_digits(
        chapter2_model(),
        mnist,
        256,
        [TensorLens(gradients=False, probe=probe_of(mnist))],
        epochs=1,
        batch_size=64,
    )
    run = only_run()
    assert run.header["gradients"]["available"] is False
    assert run.header["gradients"]["reason"] == "turned off (TensorLens(gradients=False))"
    assert run.of("gradients") == []


def test_autolog_with_a_generator_has_no_probe(mnist):
    images, labels = probe_of(mnist, 256)

    def batches():
        while True:
            for start in range(0, 256, 64):
                yield images[start : start + 64], labels[start : start + 64]

    tensorlens.autolog()
    chapter2_model().fit(batches(), steps_per_epoch=4, epochs=1, verbose=0, shuffle=False)
    run = only_run()
    assert run.header["gradients"]["available"] is False
    assert run.of("gradients") == []


@pytest.mark.parametrize(
    "probe", [(np.zeros((4, 784)), np.zeros(3)), (np.zeros((0, 784)), np.zeros(0)), ([1, 2], 3)]
)
def test_a_probe_that_is_not_matching_arrays_is_refused_at_once(probe):
    with pytest.raises(ValueError, match="probe must be a pair"):
        TensorLens(probe=probe)


def test_bad_gradient_options_are_refused_at_once():
    with pytest.raises(ValueError, match="gradient_budget"):
        TensorLens(gradient_budget=0)
    with pytest.raises(ValueError, match="gradients_after"):
        TensorLens(gradients_after=-1)


def test_measuring_gradients_raises_no_numpy_warning():
    """NumPy 2 warns about np.asarray() of a TensorFlow tensor; users must not see that from us."""
    fit_small_with_deprecations_raised(
        lambda x, y: TensorLens(probe=(x, y), gradients_after=0, gradient_budget=1)
    )
    run = only_run()
    assert run.state == "ended"
    assert len(run.of("gradients")) == (3 if MEASURED else 0)


@needs_autodiff
def test_a_probe_the_model_cannot_take_costs_one_warning_and_never_the_run(monkeypatch, mnist):
    monkeypatch.setattr(_callback, "STRICT", False)
    wrong = (np.zeros((32, 5), dtype="float32"), np.zeros(32, dtype="int32"))  # 5 inputs, not 784
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit_digits(
            chapter2_model(),
            mnist,
            256,
            [TensorLens(probe=wrong, gradients_after=0)],
            epochs=2,
            batch_size=64,
        )
    assert len(history.history["loss"]) == 2
    ours = [w for w in caught if issubclass(w.category, tensorlens.TensorLensWarning)]
    assert len(ours) == 1
    assert "stopped measuring gradients" in str(ours[0].message)
    run = only_run()
    assert run.state == "ended"
    assert run.of("gradients") == []
    assert [e["epoch"] for e in run.of("epoch")] == [0, 1]
