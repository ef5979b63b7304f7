"""`TensorLens`, the Keras 3 callback that writes a run in the run format (docs/run-format.md)."""

from __future__ import annotations

import atexit
import contextlib
import functools
import math
import os
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import keras

from tensorlens import _gradients, _writer

if TYPE_CHECKING:
    import numpy as np

__all__ = ["TensorLens", "TensorLensWarning"]

_Hook = TypeVar("_Hook", bound=Callable[..., Any])

# Snapshots between epochs store the values of small tensors only (conv kernels, biases): a run's
# disk use stays bounded by its epochs, not its length in seconds.
BUDGET_RAW_MAX_ELEMENTS = 1 << 16
# The next budgeted snapshot waits at least this share of the time trained so far.
SNAPSHOT_SPACING = 0.05

# Set by the test suite (TENSORLENS_STRICT=1): the callback's own errors are raised, not warned.
STRICT = os.environ.get("TENSORLENS_STRICT") == "1"


class TensorLensWarning(UserWarning):
    """The callback stopped writing after an error of its own; training went on."""


def _never_raises(hook: _Hook) -> _Hook:
    """Run a hook so that the callback's own errors cost one warning and its writing, never the fit."""

    @functools.wraps(hook)
    def guarded(self: TensorLens, *args: Any, **kwargs: Any) -> Any:
        if self._broken:
            return None
        try:
            return hook(self, *args, **kwargs)
        except Exception as error:
            if STRICT:
                raise
            self._broken = True
            warnings.warn(
                f"Tensor Lens stopped recording this run ({type(error).__name__}: "
                f"{_writer.one_line(str(error))}); training goes on.",
                TensorLensWarning,
                stacklevel=2,
            )
            self._close_quietly()
            return None

    return guarded  # type: ignore[return-value]


# Runs that began and have not ended, so that an exit or an uncaught exception can mark them failed.
_open_runs: weakref.WeakSet[TensorLens] = weakref.WeakSet()
_exit_hooks_installed = False


def _fail_open_runs(error: BaseException | None) -> None:
    for callback in list(_open_runs):
        callback.record_failure(error)


def _install_exit_hooks() -> None:
    """Uncaught exceptions (scripts), failed notebook cells (IPython) and exits end open runs as failed."""
    global _exit_hooks_installed  # noqa: PLW0603 - installed once per process
    if _exit_hooks_installed:
        return
    _exit_hooks_installed = True
    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, trace: Any) -> None:
        _fail_open_runs(error)
        previous_hook(kind, error, trace)

    sys.excepthook = excepthook
    atexit.register(_fail_open_runs, None)
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None  # type: ignore[attr-defined]
    if shell is not None:

        def post_run_cell(result: Any) -> None:
            error = getattr(result, "error_in_exec", None)
            if error is not None:
                _fail_open_runs(error)

        shell.events.register("post_run_cell", post_run_cell)


class TensorLens(keras.callbacks.Callback):
    """Streams a Keras 3 `fit` into Tensor Lens: metrics per batch and epoch, weights on a time budget.

    Each `fit` writes a new run folder `<log_dir>/.tensorlens/runs/<run id>/` (docs/run-format.md).

    Args:
        log_dir: folder that holds `.tensorlens/`; the working directory when None.
        run_name: a name for the run (part of its id, shown by Tensor Lens).
        snapshot_budget: the largest share of wall time spent on weight snapshots between epochs
            (0.02 = 2 %); an epoch's end always takes one.
        snapshot_min_interval: seconds between two budgeted snapshots at least.
        raw_max_elements: tensors with at most this many elements also store their float32 values
            (in snapshots taken between epochs, only tensors of at most BUDGET_RAW_MAX_ELEMENTS).
        log_batches: write `batch` events (False: epochs and snapshots only, and Keras calls no
            batch hook of ours).
        batch_interval: seconds between two `batch` events at least (0: one per batch hook); an
            event covers the batches since the previous one (their logs are running means).
        gradients: measure per-weight gradient norms on a probe batch (TensorFlow and JAX only).
        probe: `(x, y)` arrays whose first samples (32) are the probe batch. Without it, the probe is
            the first samples of `fit`'s `x` and `y` when `tensorlens.autolog()` sees arrays there;
            otherwise the run has no gradients (its header says why).
        gradient_budget: the largest share of training time spent measuring gradients (0.01 = 1 %):
            a measurement (at an epoch's end, or between steps at most as often as snapshots) is due
            only while all of them, it included, cost at most this share.
        gradients_after: seconds of training before the first measurement, which compiles the
            measurement (about 0.3-1 s on a CPU); None: 0.5 s / gradient_budget (50 s by default),
            so that short runs pay nothing and long ones stay within the budget. A number (0: from the
            start) starts them then and does not charge the compiling to the budget.
    """

    # Batch events may be written on Keras' callback thread (see on_train_batch_end).
    async_safe = True

    def __init__(
        self,
        log_dir: str | os.PathLike[str] | None = None,
        run_name: str | None = None,
        *,
        snapshot_budget: float = 0.02,
        snapshot_min_interval: float = 1.0,
        raw_max_elements: int = 1 << 20,
        log_batches: bool = True,
        batch_interval: float = 0.02,
        gradients: bool = True,
        probe: tuple[Any, Any] | None = None,
        gradient_budget: float = 0.01,
        gradients_after: float | None = None,
    ) -> None:
        super().__init__()
        for option, value in (("snapshot_budget", snapshot_budget), ("gradient_budget", gradient_budget)):
            if not 0 < value <= 1:
                message = f"{option} must be in (0, 1], not {value}"
                raise ValueError(message)
        if gradients_after is not None and not gradients_after >= 0:
            message = f"gradients_after must be None or ≥ 0, not {gradients_after}"
            raise ValueError(message)
        self.gradients = gradients
        self.gradient_budget = gradient_budget
        self._probe = None if probe is None else _gradients.make_probe(*probe)
        if probe is not None and self._probe is None:
            message = "probe must be a pair (x, y) of arrays with the same, non-zero number of samples"
            raise ValueError(message)
        # The probe autolog took from `fit`'s arrays (set before each fit; an explicit probe wins).
        self.fit_probe: _gradients.Probe | None = None
        self.gradients_after = gradients_after
        self._meter: _gradients.GradientMeter | None = None
        self._gradients_reason: str | None = None
        self._gradients_measured = 0
        self._gradients_spent = 0.0
        self._gradient_cost = 0.0
        self.log_dir = None if log_dir is None else Path(log_dir)
        self.run_name = run_name
        self.snapshot_budget = snapshot_budget
        self.snapshot_min_interval = snapshot_min_interval
        self.raw_max_elements = raw_max_elements
        self.log_batches = log_batches
        self.batch_interval = batch_interval
        self._writer: _writer.RunWriter | None = None
        self._run_id = ""
        self._header_pending = False
        self._broken = False
        self._steps_per_execution = 1
        self._order = threading.RLock()  # batch events (any thread) and all writes
        self._reset_counters()
        if not log_batches:
            # Keras looks for overridden batch hooks (`@utils.default` marks the base's no-ops) and
            # gives up asynchronous dispatch for them: without batch logging, use the base's no-op.
            self.on_train_batch_end = keras.callbacks.Callback.on_train_batch_end.__get__(self)  # type: ignore[method-assign]

    def _reset_counters(self) -> None:
        self._epoch = 0
        self._epochs_done = 0
        self._last_batch = -1
        self._steps = 0
        self._epoch_start_step = 0
        self._waiting: dict[int, dict[str, Any]] = {}
        self._unwritten: dict[str, Any] | None = None
        self._last_batch_write = -math.inf
        self._epoch_started = 0.0
        self._next_snapshot_at = 0.0
        self._train_started = time.perf_counter()
        self._previous: dict[str, _writer.PreviousWeight] = {}
        self._next_gradients_at = 0.0

    @property
    def run_folder(self) -> Path | None:
        """The folder of the current (or last) run, once `fit` has begun."""
        return None if self._writer is None else self._writer.folder

    # ----- Keras hooks -----

    @_never_raises
    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:  # noqa: ARG002 - Keras passes none
        """A new run: folder, header, the first snapshot."""
        # A reused instance (a notebook cell run again): the last run must not stay open.
        self.record_failure(None, reason="a new fit began before this run ended")
        self._broken = False
        self._reset_counters()
        base = self.log_dir if self.log_dir is not None else Path.cwd()
        run_id = _writer.new_run_id(self.run_name)
        self._writer = _writer.RunWriter.create(base, run_id)
        self._run_id = run_id
        _install_exit_hooks()
        _open_runs.add(self)
        model = self.model
        self._steps_per_execution = max(int(getattr(model, "steps_per_execution", 1) or 1), 1)
        # A model without an input shape (the book's Sequential) is built by its first batch: its
        # weights, shapes and summary exist only then, so the header waits for that batch.
        self._header_pending = True
        if model.built:
            self._write_header(model, batch=-1, step=0)

    def _model_built(self) -> bool:
        # `_model`, not `model`: asking must not sync a JAX model's state.
        return bool(getattr(getattr(self, "_model", None), "built", False))

    def _write_header(self, model: keras.Model, *, batch: int, step: int) -> None:
        self._start_gradients(model)
        with self._order:
            self._header_pending = False
            self._append(self._header(self._run_id, model))
            self._snapshot(model, "begin", batch=batch, step=step)
            if self._gradients_due(first_check=True):
                self._measure_gradients(model, batch=batch, step=step)
            self._write_waiting()

    def _start_gradients(self, model: keras.Model) -> None:
        """The gradient meter for this run, or why there is none (the header says which)."""
        self._meter = None
        self._gradients_measured = 0
        # Seconds charged to gradient_budget so far, and what the last measurement (not compiling) cost.
        self._gradients_spent = 0.0
        self._gradient_cost = 0.0
        probe = self._probe if self._probe is not None else self.fit_probe
        if not self.gradients:
            self._gradients_reason = "turned off (TensorLens(gradients=False))"
        elif (reason := _gradients.unavailable_reason(keras.backend.backend())) is not None:
            self._gradients_reason = reason
        elif probe is None:
            self._gradients_reason = (
                "no probe batch: pass TensorLens(probe=(x, y)), or use tensorlens.autolog() with array data"
            )
        else:
            self._meter, self._gradients_reason = _gradients.GradientMeter(model, probe), None

    def _gradients_after(self) -> float:
        """Seconds of training before the first measurement, which compiles it."""
        if self.gradients_after is not None:
            return self.gradients_after
        return _gradients.FIRST_COST_GUESS / self.gradient_budget

    def _gradients_due(self, *, first_check: bool = False, epoch_end: bool = False) -> bool:
        if self._meter is None:
            return False
        now = time.perf_counter()
        trained = now - self._train_started
        if self._gradients_measured == 0:
            # Compiling costs far more than measuring: it waits until the run is long enough to pay for it.
            return trained >= self._gradients_after()
        if first_check:
            return False
        # A true budget: what all measurements cost, the next one's included, stays within its share.
        within = self._gradients_spent + self._gradient_cost <= self.gradient_budget * trained
        return within and (epoch_end or now >= self._next_gradients_at)

    @_never_raises
    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:  # noqa: ARG002
        """Batch indices restart at 0 each epoch."""
        self._epoch = int(epoch)
        self._last_batch = -1
        self._epoch_start_step = self._steps
        self._epoch_started = time.perf_counter()

    @_never_raises
    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:  # noqa: ARG002
        """On the training thread, between steps: the one place a budgeted snapshot reads the model."""
        done = int(batch)  # batches of this epoch already trained
        position = {"batch": done - 1, "step": self._epoch_start_step + done}
        if self._header_pending:
            if self._model_built():
                self._write_header(self.model, **position)
        else:
            now = time.perf_counter()
            # Touch the model only now: on JAX, reading it syncs the state back from the device.
            if done > 0 and now >= self._next_snapshot_at:
                self._snapshot(self.model, "budget", **position)
            if done > 0 and self._gradients_due():
                self._measure_gradients(self.model, **position)

    @_never_raises
    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """One `batch` event per hook; Keras calls it once per `steps_per_execution` batches.

        `async_safe`: Keras may run this on its callback thread, after the next step has begun, so it
        must not touch the model, and events may arrive out of order: they are put back in order.
        """
        reported = int(batch)
        steps = self.params.get("steps") if self.params else None
        # With steps_per_execution, Keras names the last group's end as if it were full.
        last = min(reported, int(steps) - 1) if steps else reported
        # The group began right after the previous group's end: batches counted by index delta.
        covered = last - max(reported - self._steps_per_execution, -1)
        record = {
            "type": "batch",
            "epoch": self._epoch,
            "batch": last,
            "batches": covered,
            "step": self._epoch_start_step + last + 1,
            "time": time.time(),
            # Kept as Keras gave them (a shallow copy): most batch events are merged into a later
            # one and never written, so their values are made JSON only when written.
            "logs": dict(logs or {}),
        }
        with self._order:
            self._waiting[record["step"] - covered] = record
            self._write_waiting()

    def _write_waiting(self) -> None:
        """Write the batch events that follow the last one written, in step order (holds `_order`)."""
        if self._header_pending:
            return
        while self._steps in self._waiting:
            record = self._waiting.pop(self._steps)
            self._steps = record["step"]
            self._last_batch = record["batch"]
            if self._unwritten is not None:
                # Logs are running means: the newest stands for the batches since the last event.
                record = {**record, "batches": self._unwritten["batches"] + record["batches"]}
            self._unwritten = record
            if time.monotonic() - self._last_batch_write >= self.batch_interval:
                self._write_unwritten()

    def _write_unwritten(self) -> None:
        if self._unwritten is not None:
            self._append({**self._unwritten, "logs": _writer.json_logs(self._unwritten["logs"])})
            self._last_batch_write = time.monotonic()
            self._unwritten = None

    @_never_raises
    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """The epoch's logs (validation included) and a snapshot."""
        with self._order:  # Keras has waited for the epoch's batch hooks: all are here
            if self._header_pending:
                step = max((r["step"] for r in self._waiting.values()), default=self._steps)
                self._write_header(self.model, batch=step - self._epoch_start_step - 1, step=step)
            self._write_waiting()
            # Only a hook that failed leaves a gap: write the rest anyway, in order.
            self._write_unwritten()
            for start in sorted(self._waiting):
                self._append(self._waiting[start])
                self._steps = self._waiting[start]["step"]
            self._waiting.clear()
        if not self.log_batches:
            # No batch hooks ran: the epoch's batch count comes from Keras' params.
            steps = self.params.get("steps") if self.params else None
            self._steps += int(steps) if steps else 0
        self._epochs_done += 1
        self._append(
            {
                "type": "epoch",
                "epoch": int(epoch),
                "step": self._steps,
                "time": time.time(),
                "seconds": time.perf_counter() - self._epoch_started,
                "logs": _writer.json_logs(logs),
            }
        )
        last = self._steps - self._epoch_start_step - 1
        self._snapshot(self.model, "epoch", batch=last, step=self._steps)
        if self._gradients_due(epoch_end=True):
            self._measure_gradients(self.model, batch=last, step=self._steps)

    @_never_raises
    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:  # noqa: ARG002
        """`fit` returned normally (early stopping included)."""
        self._end({"state": "ended"})

    # ----- failure -----

    def record_failure(self, error: BaseException | None, reason: str | None = None) -> None:
        """End the open run as failed (fit raised, the process is exiting, or a new fit began)."""
        if self._writer is None or not self._writer.is_open:
            return
        if error is not None:
            detail = {"type": type(error).__qualname__, "message": _writer.one_line(str(error))}
        else:
            detail = {"type": None, "message": reason or "the process exited during fit"}
        try:
            if self._header_pending:
                # Failed before the model was built: the header says what is known (no weights yet).
                self._header_pending = False
                self._append(self._header(self._run_id, self.model))
                with self._order:
                    self._write_waiting()
            self._end({"state": "failed", "error": detail})
        except Exception:
            if STRICT:
                raise
            self._close_quietly()

    # ----- internals -----

    def _append(self, record: dict[str, Any]) -> None:
        with self._order:
            if self._writer is not None:
                self._writer.append(record)

    def _end(self, fields: dict[str, Any]) -> None:
        if self._writer is None or not self._writer.is_open:
            return
        self._append(
            {
                "type": "end",
                **fields,
                "time": time.time(),
                "epochs": self._epochs_done,
                "step": self._steps,
            }
        )
        self._writer.close()
        _open_runs.discard(self)

    def _close_quietly(self) -> None:
        _open_runs.discard(self)
        if self._writer is not None:
            with contextlib.suppress(OSError):
                self._writer.close()

    def _header(self, run_id: str, model: keras.Model) -> dict[str, Any]:
        return {
            "type": "header",
            "format": _writer.FORMAT_NAME,
            "version": _writer.FORMAT_VERSION,
            "runId": run_id,
            "name": self.run_name,
            "time": time.time(),
            "writer": {"name": "tensorlens", "version": _package_version()},
            "process": _writer.process_identity(),
            "framework": {"name": "keras", "version": keras.__version__, "backend": keras.backend.backend()},
            "params": _writer.json_logs(self.params) if self.params else {},
            "model": {
                "name": model.name,
                "class": type(model).__name__,
                "summary": _summary(model),
                "layers": [_layer(layer) for layer in model.layers],
                "weights": [
                    {
                        "name": weight.path,
                        "shape": [int(d) for d in weight.shape],
                        "dtype": str(weight.dtype),
                        "trainable": bool(weight.trainable),
                    }
                    for weight in model.weights
                ],
            },
            "gradients": {
                "available": self._meter is not None,
                "reason": self._gradients_reason,
                "probe": None if self._meter is None else self._meter.probe.size,
                "budget": self.gradient_budget,
                "after": self._gradients_after(),
            },
            "snapshots": {
                "histogramBins": _writer.HISTOGRAM_BINS,
                "rawMaxElements": self.raw_max_elements,
                "budgetRawMaxElements": min(self.raw_max_elements, BUDGET_RAW_MAX_ELEMENTS),
                "spacing": SNAPSHOT_SPACING,
                "budget": self.snapshot_budget,
            },
        }

    def _snapshot(self, model: keras.Model, reason: str, *, batch: int, step: int) -> None:
        """Read every weight, write one snapshot file and its event, and schedule the next one."""
        if self._writer is None:
            return
        started = time.perf_counter()
        raw_max_elements = self.raw_max_elements
        if reason == "budget":
            raw_max_elements = min(raw_max_elements, BUDGET_RAW_MAX_ELEMENTS)
        weights = []
        for weight in model.weights:
            array = _to_numpy(weight)
            weights.append(
                _writer.weight_statistics(
                    weight.path, array, self._previous.get(weight.path), raw_max_elements
                )
            )
        self._previous = {w.entry["name"]: w.keep for w in weights if w.keep is not None}
        position = {"epoch": self._epoch, "batch": batch, "step": step}
        relative, size = self._writer.write_snapshot({**position, "reason": reason}, weights)
        finished = time.perf_counter()
        cost = finished - started
        self._append(
            {
                "type": "snapshot",
                "index": self._writer.snapshot_count,
                "file": relative,
                "bytes": size,
                "reason": reason,
                **position,
                "time": time.time(),
                "seconds": cost,
            }
        )
        # Spend at most `snapshot_budget` of wall time: a snapshot costing c waits c / budget.
        # Within the time budget, and sparser as the run grows (a bounded number per e-fold of time).
        self._next_snapshot_at = finished + max(
            self.snapshot_min_interval,
            cost / self.snapshot_budget,
            SNAPSHOT_SPACING * (finished - self._train_started),
        )

    def _measure_gradients(self, model: keras.Model, *, batch: int, step: int) -> None:
        """Measure the probe's gradients now, write them, and schedule the next measurement.

        `model` is `self.model` got just now (on JAX, that syncs the weights back from the device).
        """
        if self._meter is None or self._writer is None:
            return
        started = time.perf_counter()
        try:
            measured = self._meter.measure(model)
        except Exception as error:
            if STRICT:
                raise
            # A model whose loss cannot be taken statelessly: the run goes on without gradients.
            self._meter = None
            warnings.warn(
                f"Tensor Lens stopped measuring gradients ({type(error).__name__}: "
                f"{_writer.one_line(str(error))}); the run goes on without them.",
                TensorLensWarning,
                stacklevel=2,
            )
            return
        finished = time.perf_counter()
        measured.seconds = finished - started
        self._write_gradients(measured, batch=batch, step=step)
        self._gradients_measured += 1
        compiled = self._gradients_measured == 1
        # The compiling one is charged unless the person chose when it happens (gradients_after).
        if not (compiled and self.gradients_after is not None):
            self._gradients_spent += measured.seconds
        # The next one will not compile: what it costs is known after it.
        self._gradient_cost = 0.0 if compiled else measured.seconds
        # Between steps, also no more often than snapshots (a bounded number per e-fold of time).
        self._next_gradients_at = finished + max(
            self.snapshot_min_interval, SNAPSHOT_SPACING * (finished - self._train_started)
        )

    def _write_gradients(self, measured: _gradients.Measured, *, batch: int, step: int) -> None:
        if self._meter is None:
            return
        names = [weight.path for weight in self._meter.model.trainable_variables]
        self._append(
            {
                "type": "gradients",
                "epoch": self._epoch,
                "batch": batch,
                "step": step,
                "time": time.time(),
                "seconds": measured.seconds,
                "probe": self._meter.probe.size,
                "loss": _writer.json_number(measured.loss),
                "weights": [
                    {"name": name, "norm": _writer.json_number(norm)}
                    for name, norm in zip(names, measured.norms, strict=True)
                ],
            }
        )


def _to_numpy(weight: keras.Variable) -> np.ndarray:
    tensor = keras.ops.convert_to_tensor(weight)
    if keras.backend.backend() == "tensorflow":
        # NumPy 2 warns about np.array() of a TensorFlow tensor (its __array__ lacks `copy`).
        return tensor.numpy()
    return keras.ops.convert_to_numpy(tensor)


def _summary(model: keras.Model) -> str | None:
    lines: list[str] = []
    try:
        model.summary(print_fn=lambda text, *_args, **_kwargs: lines.append(str(text)))
    except ValueError:
        return None  # an unbuilt subclassed model has no summary
    return "\n".join(lines)


def _layer(layer: keras.layers.Layer) -> dict[str, Any]:
    try:
        output_shape: Any = _shape_json(layer.output.shape)
    except (AttributeError, ValueError, TypeError):
        output_shape = None
    return {
        "name": layer.name,
        "class": type(layer).__name__,
        "outputShape": output_shape,
        "params": int(layer.count_params()) if layer.built else None,
    }


def _shape_json(shape: Any) -> Any:
    if isinstance(shape, (list, tuple)) and all(isinstance(d, (int, type(None))) for d in shape):
        return [None if d is None else int(d) for d in shape]
    if isinstance(shape, (list, tuple)):
        return [_shape_json(s) for s in shape]
    return None


@functools.cache
def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - only once, lazily

    try:
        return version("tensorlens")
    except PackageNotFoundError:
        return "0+unknown"
