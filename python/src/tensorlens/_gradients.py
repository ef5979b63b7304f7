"""Gradient norms on a fixed probe batch, with the backend's own autodiff (TensorFlow and JAX only).

The loss is Keras' own (`stateless_call` then `stateless_compute_loss`, the documented stateless API),
so the probe changes no variable of the model: its metrics and state updates are thrown away. The
backend's autodiff module is imported only here and only for its backend (on JAX, TensorFlow is
never imported).
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

from tensorlens import _writer

if TYPE_CHECKING:
    from collections.abc import Callable

# A small, fixed batch: the same digits every time, so norms of different steps compare.
PROBE_SIZE = 32
BACKENDS = ("tensorflow", "jax")
# What compiling the measurement (jax.jit, tf.function) costs a small model on a CPU, about: the
# first measurement waits until the run has trained FIRST_COST_GUESS / budget seconds.
FIRST_COST_GUESS = 0.5


@dataclass
class Probe:
    """The first samples of the user's data, our own copy."""

    x: np.ndarray
    y: np.ndarray

    @property
    def size(self) -> int:
        """Samples in the probe."""
        return int(self.x.shape[0])


def make_probe(x: Any, y: Any, size: int = PROBE_SIZE) -> Probe | None:
    """The first `size` samples of arrays `x` and `y`, or None when they are not arrays of samples."""
    if not (_is_array(x) and _is_array(y)):
        return None
    x_head, y_head = np.array(x[:size], copy=True), np.array(y[:size], copy=True)
    if x_head.ndim == 0 or y_head.ndim == 0 or x_head.shape[0] != y_head.shape[0] or x_head.shape[0] == 0:
        return None
    return Probe(x_head, y_head)


def _is_array(value: Any) -> bool:
    # NumPy arrays and array-likes that slice to arrays (JAX, TensorFlow tensors); not datasets, dicts.
    return hasattr(value, "__array__") and hasattr(value, "shape") and len(getattr(value, "shape", ())) > 0


def unavailable_reason(backend: str) -> str | None:
    """Why this backend gets no gradients (None: it gets them)."""
    if backend in BACKENDS:
        return None
    return f"the {backend} backend: gradients are measured on TensorFlow and JAX only"


@dataclass
class Measured:
    """The probe's loss and, per trainable weight (in `model.trainable_variables` order), ‖g‖₂."""

    loss: float
    norms: list[float]
    seconds: float = 0.0  # what measuring cost (set by the caller, who knows what it counts)


def _probe_loss(
    model: keras.Model, trainable: list[Any], non_trainable: list[Any], metrics: list[Any], probe: Probe
) -> Any:
    # training=False: no dropout, so the probe's loss is a function of the weights alone.
    y_pred, _ = model.stateless_call(trainable, non_trainable, probe.x, training=False)
    loss, _ = model.stateless_compute_loss(
        trainable, non_trainable, metrics, x=probe.x, y=probe.y, y_pred=y_pred, training=False
    )
    return loss


def _norm(gradient: Any) -> float:
    values = np.asarray(gradient, dtype=np.float64).reshape(-1)
    return math.sqrt(_writer.sum_of_squares(values))


class GradientMeter:
    """Measures the gradient of the model's loss on the probe w.r.t. every trainable weight."""

    def __init__(self, model: keras.Model, probe: Probe) -> None:
        self.model = model
        self.probe = probe
        self._measure: Callable[[list[Any], list[Any], list[Any]], tuple[Any, list[Any]]] = (
            self._jax() if keras.backend.backend() == "jax" else self._tensorflow()
        )

    def _jax(self) -> Callable[[list[Any], list[Any], list[Any]], tuple[Any, list[Any]]]:
        jax = importlib.import_module("jax")
        model, probe = self.model, self.probe

        def loss(trainable: list[Any], non_trainable: list[Any], metrics: list[Any]) -> Any:
            return _probe_loss(model, trainable, non_trainable, metrics, probe)

        # Compiled once per run: afterwards a measurement costs one small forward and backward pass.
        return jax.jit(jax.value_and_grad(loss))

    def _tensorflow(self) -> Callable[[list[Any], list[Any], list[Any]], tuple[Any, list[Any]]]:
        tf = importlib.import_module("tensorflow")
        model, probe = self.model, self.probe

        def measure(
            trainable: list[Any], non_trainable: list[Any], metrics: list[Any]
        ) -> tuple[Any, list[Any]]:
            with tf.GradientTape() as tape:
                tape.watch(trainable)
                loss = _probe_loss(model, trainable, non_trainable, metrics, probe)
            return loss, tape.gradient(loss, trainable)

        return tf.function(measure, reduce_retracing=True)

    def measure(self, model: keras.Model) -> Measured:
        """The probe's loss and gradient norms with the model's current weights.

        `model` is the callback's `self.model`, fetched by the caller just now: on JAX, getting it
        syncs the weights back from the device (during `fit`, Keras drops the variables' own values).
        """
        values = [
            [keras.ops.convert_to_tensor(v.value) for v in group]
            for group in (model.trainable_variables, model.non_trainable_variables, model.metrics_variables)
        ]
        loss, gradients = self._measure(*values)
        return Measured(float(np.asarray(loss)), [_norm(g) for g in gradients])
