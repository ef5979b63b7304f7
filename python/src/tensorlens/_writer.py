"""The run-format writer (docs/run-format.md): one run folder, its event file and its snapshots.

Knows nothing of Keras: it takes plain Python values and NumPy arrays, so the format has one writer
that a test (or a PyTorch loop) can drive directly.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import socket
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

FORMAT_NAME = "tensorlens-run"
FORMAT_VERSION = 1
EVENTS_FILE = "events.jsonl"
SNAPSHOTS_DIR = "snapshots"
RUNS_DIR = Path(".tensorlens") / "runs"

SNAPSHOT_MAGIC = b"TLSNAP1\n"
# magic, header length, data length (little-endian uint64 each).
SNAPSHOT_PREAMBLE = struct.Struct("<8sQQ")
HISTOGRAM_BINS = 32
# Histograms of larger tensors count an evenly strided sample of this many values at most.
HISTOGRAM_SAMPLE = 1 << 16
# One line of an error message is enough for a person; readers bound line length anyway.
MESSAGE_LIMIT = 500


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """The first non-empty line of `text`, at most `limit` characters."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:40]


def new_run_id(name: str | None) -> str:
    """`<UTC time>-<name>-<random>`: sorts by start time, stays unique across processes."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    parts = [stamp, _slug(name) if name else "", secrets.token_hex(3)]
    return "-".join(part for part in parts if part)


def process_identity() -> dict[str, Any]:
    """Who is writing: enough for a reader to tell a live writer from a dead one whose pid was reused."""
    start_ticks: int | None = None
    boot_id: str | None = None
    if sys.platform.startswith("linux"):
        try:
            stat = Path("/proc/self/stat").read_text(encoding="ascii")
            # Field 22 (starttime); the command name in field 2 may hold spaces, so count after ')'.
            start_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
            boot_id = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        except (OSError, ValueError, IndexError):
            start_ticks, boot_id = None, None
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "startTicks": start_ticks,
        "bootId": boot_id,
    }


@dataclass
class PreviousWeight:
    """A weight as the last snapshot saw it: float32 values and their L2 norm."""

    values: np.ndarray
    norm: float


@dataclass
class WeightStatistics:
    """What one snapshot says about one weight tensor (the binary header's per-weight entry)."""

    entry: dict[str, Any]
    raw: bytes | None
    # What the next snapshot's update size compares with (None for non-float tensors).
    keep: PreviousWeight | None = None


def _finite_float(value: float) -> float | None:
    return value if math.isfinite(value) else None


def sum_of_squares(values: np.ndarray) -> float:
    """Σx² of a flat array, on the calling thread only.

    Not `np.dot`: NumPy's BLAS computes a long dot product on every core, and its threads then
    spin-wait for more work, taking the CPU from the training (TensorFlow's epochs ran 6 % slower).
    """
    return float(np.einsum("i,i->", values, values))


def weight_statistics(
    name: str,
    array: np.ndarray,
    previous: PreviousWeight | None,
    raw_max_elements: int,
    bins: int = HISTOGRAM_BINS,
) -> WeightStatistics:
    """Statistics, histogram, update size and (small enough) raw float32 values of one tensor.

    Exact passes over the whole tensor for the statistics; the histogram of a large tensor counts an
    evenly strided sample of at most HISTOGRAM_SAMPLE values (its bounds are still the exact min/max).
    """
    flat = np.asarray(array).reshape(-1)
    values = flat.astype(np.float64, copy=False)
    count = int(values.size)
    total = float(values.sum())
    squares = sum_of_squares(values)
    if math.isfinite(total) and math.isfinite(squares):
        finite, nans, infs = values, 0, 0
    else:
        finite = values[np.isfinite(values)]
        nans = int(np.isnan(values).sum())
        infs = count - int(finite.size) - nans
        total = float(finite.sum())
        squares = sum_of_squares(finite)
    low = high = mean = std = norm = None
    counts = np.zeros(bins, dtype=np.int64)
    sampled = 0
    if finite.size:
        low, high = float(finite.min()), float(finite.max())
        mean = total / finite.size
        # One pass for both moments; float64 keeps E[x²] - E[x]² accurate for float32 weights.
        std = math.sqrt(max(squares / finite.size - mean * mean, 0.0))
        norm = math.sqrt(squares)
        stride = -(-finite.size // HISTOGRAM_SAMPLE)
        sample = finite[::stride]
        sampled = int(sample.size)
        # Bin i holds floor((x - low) / (high - low) * bins), the maximum in the last bin.
        scale = bins / (high - low) if high > low else 0.0
        index = ((sample - low) * scale).astype(np.intp)
        np.minimum(index, bins - 1, out=index)
        counts = np.bincount(index, minlength=bins)
    update: float | None = None
    if previous is not None and previous.values.shape == flat.shape and previous.norm > 0:
        # float32 differences are exact enough for a ratio, and half the memory traffic.
        delta = (flat.astype(np.float32, copy=False) - previous.values).astype(np.float64)
        update = _finite_float(math.sqrt(sum_of_squares(delta)) / previous.norm)
    entry: dict[str, Any] = {
        "name": name,
        "shape": [int(d) for d in np.shape(array)],
        "dtype": str(flat.dtype),
        "count": count,
        "min": low,
        "max": high,
        "mean": mean,
        "std": std,
        "norm": norm,
        "zeros": count - int(np.count_nonzero(flat)),
        "nans": nans,
        "infs": infs,
        "histogram": {"low": low, "high": high, "sampled": sampled, "counts": [int(c) for c in counts]},
        "update": update,
        "values": None,
    }
    raw = None
    keep = None
    if np.issubdtype(flat.dtype, np.floating):
        as_float32 = flat.astype("<f4", copy=False)
        if count <= raw_max_elements:
            raw = as_float32.tobytes()
        # Our own copy: on JAX the array may view a device buffer that the next step donates.
        keep = PreviousWeight(np.array(as_float32, copy=True), norm or 0.0)
    return WeightStatistics(entry, raw, keep)


def encode_snapshot(header: dict[str, Any], weights: list[WeightStatistics]) -> bytes:
    """A snapshot file: preamble, JSON header (space-padded so data starts 8-aligned), raw values."""
    offset = 0
    chunks: list[bytes] = []
    for weight in weights:
        if weight.raw is not None:
            weight.entry["values"] = {"offset": offset, "length": len(weight.raw), "dtype": "float32"}
            chunks.append(weight.raw)
            offset += len(weight.raw)
        else:
            weight.entry["values"] = None
    header = {**header, "weights": [w.entry for w in weights]}
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * (-(SNAPSHOT_PREAMBLE.size + len(text)) % 8)
    preamble = SNAPSHOT_PREAMBLE.pack(SNAPSHOT_MAGIC, len(text), offset)
    return b"".join([preamble, text, *chunks])


@dataclass
class RunWriter:
    """Appends whole records to one run's events.jsonl and writes its snapshot files."""

    folder: Path
    _events: IO[str] | None = field(default=None, init=False, repr=False)
    _snapshots: int = field(default=0, init=False)

    @classmethod
    def create(cls, base: Path, run_id: str) -> RunWriter:
        """A new, empty run folder under `<base>/.tensorlens/runs/` (never reuses an existing one)."""
        folder = base / RUNS_DIR / run_id
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
        writer = cls(folder)
        # Append mode and our own "\n": whole records, the same bytes on every OS.
        writer._events = (folder / EVENTS_FILE).open("a", encoding="utf-8", newline="")
        return writer

    @property
    def is_open(self) -> bool:
        """True until close()."""
        return self._events is not None

    def append(self, record: dict[str, Any]) -> None:
        """One record, one write, flushed: a reader never sees half of it before the newline."""
        if self._events is None:
            return
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        self._events.write(line + "\n")
        self._events.flush()

    def write_snapshot(self, header: dict[str, Any], weights: list[WeightStatistics]) -> tuple[str, int]:
        """The next snapshots/NNNNNN.bin, complete on disk before its event can name it."""
        self._snapshots += 1
        relative = f"{SNAPSHOTS_DIR}/{self._snapshots:06d}.bin"
        target = self.folder / relative
        target.parent.mkdir(exist_ok=True)
        data = encode_snapshot({**header, "index": self._snapshots}, weights)
        partial = target.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(target)
        return relative, len(data)

    @property
    def snapshot_count(self) -> int:
        """Snapshots written so far."""
        return self._snapshots

    def close(self) -> None:
        """Release the handle (Windows cannot delete a folder while it is open)."""
        if self._events is not None:
            events, self._events = self._events, None
            events.close()


def json_number(value: Any) -> float | int | str | None:
    """A log value as JSON can hold it: numbers stay numbers; NaN and infinities become strings."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def json_logs(logs: dict[str, Any] | None) -> dict[str, float | int | str | None]:
    """Keras' logs as a JSON object (non-scalar values become null)."""
    return {str(key): json_number(value) for key, value in (logs or {}).items()}
