"""`autolog()`: every `keras.Model.fit` gets a `TensorLens` callback, and a raising `fit` a failed run."""

from __future__ import annotations

import functools
from typing import Any

import keras

from tensorlens._callback import TensorLens
from tensorlens._gradients import make_probe

__all__ = ["autolog"]

# `Model.fit(self, x, y, batch_size, epochs, verbose, callbacks, ...)`: callbacks is args[5].
_CALLBACKS_POSITION = 5
_ABSENT = object()


class _Patch:
    """The one active patch of `keras.Model.fit` and what to restore."""

    original: Any = _ABSENT  # Model.__dict__["fit"] before patching (_ABSENT: inherited)
    active = False


def _revert() -> None:
    if not _Patch.active:
        return
    if _Patch.original is _ABSENT:
        del keras.Model.fit
    else:
        keras.Model.fit = _Patch.original
    _Patch.original = _ABSENT
    _Patch.active = False


def _fit_recording_failure(
    fit: Any, model: keras.Model, args: list[Any], kwargs: dict[str, Any], callbacks: list[Any]
) -> Any:
    # Keras gives callbacks no data: the gradients' probe is the first samples of fit's arrays.
    x = args[0] if args else kwargs.get("x")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    probe = make_probe(x, y)
    for callback in callbacks:
        if isinstance(callback, TensorLens):
            callback.fit_probe = probe
    try:
        return fit(model, *args, **kwargs)
    except BaseException as error:
        # Keras tells callbacks nothing about an exception: record it here, then let it go on.
        for callback in callbacks:
            if isinstance(callback, TensorLens):
                callback.record_failure(error)
        raise


def autolog(*, disable: bool = False, **options: Any) -> None:
    """Add a `TensorLens(**options)` callback to every `keras.Model.fit` that has none.

    Calling it again (a notebook cell run twice) replaces the earlier patch with the new options;
    `autolog(disable=True)` restores Keras' own `fit`. The caller's callbacks list is copied, never
    changed. When `fit` raises, its runs end as `failed` (with the error) and the error propagates.
    When `fit`'s `x` and `y` are arrays, their first samples are the gradients' probe batch.
    """
    _revert()
    if disable:
        return
    TensorLens(**options)  # check the options now, not at the first fit
    inherited_fit = keras.Model.fit
    _Patch.original = keras.Model.__dict__.get("fit", _ABSENT)

    @functools.wraps(inherited_fit)
    def fit(self: keras.Model, *args: Any, **kwargs: Any) -> Any:
        args_list = list(args)
        if len(args_list) > _CALLBACKS_POSITION:
            given = args_list[_CALLBACKS_POSITION]
        else:
            given = kwargs.get("callbacks")
        if isinstance(given, keras.callbacks.CallbackList):
            # Keras' own container: left as it is (no injection, failures still recorded below).
            callbacks = list(given.callbacks)
            return _fit_recording_failure(inherited_fit, self, args_list, kwargs, callbacks)
        callbacks = list(given or [])
        if not any(isinstance(callback, TensorLens) for callback in callbacks):
            callbacks.append(TensorLens(**options))
        if len(args_list) > _CALLBACKS_POSITION:
            args_list[_CALLBACKS_POSITION] = callbacks
        else:
            kwargs["callbacks"] = callbacks
        return _fit_recording_failure(inherited_fit, self, args_list, kwargs, callbacks)

    fit.__tensorlens_autolog__ = True  # type: ignore[attr-defined]
    keras.Model.fit = fit
    _Patch.active = True
