"""A small reference reader of docs/run-format.md, written from the spec (not from the writer).

It does what the spec asks of every reader: consume events only up to the last newline, check the
header's format and version, bound every snapshot read by the sizes its preamble states, and decide
`died` by the process rule.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MAX_LINE = 16 << 20
MAX_SNAPSHOT_HEADER = 64 << 20
PREAMBLE = struct.Struct("<8sQQ")
MAGIC = b"TLSNAP1\n"


class RunFormatError(ValueError):
    """The file breaks the spec (one line that names the file and the fault)."""


@dataclass
class Run:
    folder: Path
    header: dict[str, Any]
    events: list[dict[str, Any]]
    state: str
    torn_tail: bool = False
    by_type: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return self.by_type.get(kind, [])


def _linux_start_ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        return int(stat[stat.rindex(")") + 2 :].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def writer_alive(process: dict[str, Any]) -> bool | None:
    """The spec's rule: True/False when this machine can tell, None when it cannot (another host)."""
    if process.get("host") != socket.gethostname():
        return None
    boot_id = process.get("bootId")
    if boot_id is not None and sys.platform.startswith("linux"):
        current = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        if current != boot_id:
            return False
    pid = process["pid"]
    if not _pid_exists(pid):
        return False
    ticks = process.get("startTicks")
    return not (ticks is not None and sys.platform.startswith("linux") and _linux_start_ticks(pid) != ticks)


def read_run(folder: Path) -> Run:
    path = folder / "events.jsonl"
    data = path.read_bytes()
    end = data.rfind(b"\n")
    complete, tail = (data[: end + 1], data[end + 1 :]) if end >= 0 else (b"", data)
    events = []
    for number, line in enumerate(complete.split(b"\n")[:-1], start=1):
        if len(line) > MAX_LINE:
            message = f"{path}: line {number} is longer than {MAX_LINE} bytes"
            raise RunFormatError(message)
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            message = f"{path}: line {number} is not JSON ({error})"
            raise RunFormatError(message) from error
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            message = f"{path}: line {number} has no type"
            raise RunFormatError(message)
        events.append(record)
    if not events or events[0]["type"] != "header":
        message = f"{path}: the first record is not a header"
        raise RunFormatError(message)
    header = events[0]
    if header.get("format") != "tensorlens-run" or header.get("version") != 1:
        message = (
            f"{path}: format {header.get('format')!r} version {header.get('version')!r} is not supported"
        )
        raise RunFormatError(message)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in events:
        by_type.setdefault(record["type"], []).append(record)
    ends = by_type.get("end", [])
    if ends:
        state = ends[-1]["state"]
    else:
        alive = writer_alive(header["process"])
        state = "died" if alive is False else "running"
    return Run(folder, header, events, state, torn_tail=bool(tail), by_type=by_type)


def read_snapshot(run: Run, event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The snapshot's header and its raw values by weight name, every size checked before reading."""
    relative = event["file"]
    if not relative.startswith("snapshots/") or ".." in relative:
        message = f"{run.folder}: snapshot path {relative!r} leaves the run folder"
        raise RunFormatError(message)
    path = run.folder / relative
    size = path.stat().st_size
    with path.open("rb") as file:
        preamble = file.read(PREAMBLE.size)
        if len(preamble) != PREAMBLE.size:
            message = f"{path}: shorter than its preamble"
            raise RunFormatError(message)
        magic, header_length, data_length = PREAMBLE.unpack(preamble)
        if magic != MAGIC:
            message = f"{path}: not a Tensor Lens snapshot"
            raise RunFormatError(message)
        if header_length > MAX_SNAPSHOT_HEADER or PREAMBLE.size + header_length + data_length != size:
            message = f"{path}: header says {header_length} + {data_length} bytes, the file has {size}"
            raise RunFormatError(message)
        if (PREAMBLE.size + header_length) % 8:
            message = f"{path}: data does not start 8-aligned"
            raise RunFormatError(message)
        header = json.loads(file.read(header_length).decode("utf-8"))
        data = file.read(data_length)
    values: dict[str, np.ndarray] = {}
    for weight in header["weights"]:
        raw = weight["values"]
        if raw is None:
            continue
        offset, length = raw["offset"], raw["length"]
        if raw["dtype"] != "float32" or length != 4 * weight["count"] or offset + length > data_length:
            message = f"{path}: values of {weight['name']} lie outside the data or disagree with its shape"
            raise RunFormatError(message)
        values[weight["name"]] = np.frombuffer(
            data, dtype="<f4", count=weight["count"], offset=offset
        ).reshape(weight["shape"])
    return header, values


def runs_under(base: Path) -> list[Run]:
    """The runs under `base`, oldest first by their header's start time.

    Run ids sort by start time only to the second: two fits in the same second would sort by their
    random suffix.
    """
    root = base / ".tensorlens" / "runs"
    if not root.is_dir():
        return []
    runs = [read_run(folder) for folder in sorted(root.iterdir()) if folder.is_dir()]
    return sorted(runs, key=lambda run: run.header["time"])
