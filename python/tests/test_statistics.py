"""The statistics a snapshot computes: exact, and on the calling thread only."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from tensorlens import _gradients, _writer

# NumPy's BLAS threads spin for about 0.1 s after a call; this watches the first half of that.
WATCH_SECONDS = 0.05


def cpu_seconds_while_sleeping() -> float:
    """CPU time the whole process used while this thread slept: other threads' work."""
    started = time.process_time()
    time.sleep(WATCH_SECONDS)
    return time.process_time() - started


def test_statistics_leave_no_thread_spinning_after_them():
    """A snapshot's Σx² once ran on NumPy's BLAS (`np.dot`), whose threads then spin-waited.

    They took a core from the training after every snapshot: TensorFlow's epochs ran 6 % slower.
    """
    kernel = np.random.default_rng(0).standard_normal((784, 512)).astype("float32")
    previous = _writer.PreviousWeight(values=kernel.reshape(-1) * 0.9, norm=1.0)
    spun: list[float] = []
    # The spinning follows every call; three tries keep a burst of some other thread's work from failing it.
    for _ in range(3):
        time.sleep(0.3)  # any earlier BLAS call's threads are asleep again
        quiet = cpu_seconds_while_sleeping()
        _writer.weight_statistics("dense/kernel", kernel, previous, raw_max_elements=0)
        _gradients._norm(kernel)  # the gradient norms use the same sum
        spun.append(cpu_seconds_while_sleeping() - quiet)
        if spun[-1] < WATCH_SECONDS / 3:
            return
    pytest.fail(f"other threads used {[round(s, 3) for s in spun]} s of CPU in {WATCH_SECONDS} s after each")


def test_sum_of_squares_is_exact_in_float64():
    values = np.random.default_rng(1).standard_normal(1_000_003)
    assert math.isclose(_writer.sum_of_squares(values), math.fsum(v * v for v in values), rel_tol=1e-12)
