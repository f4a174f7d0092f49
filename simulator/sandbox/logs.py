"""A container's log: what its processes wrote, one JSON line per chunk, as Docker's
json-file driver keeps it (``{"log": "...", "stream": "stdout", "time": "..."}``).

The shim appends; ``logs``, ``attach`` and the shim's own replay to an attaching client read.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

__all__ = ["LOG_NAME", "log_size", "print_log", "read_entries", "tail_offset"]

LOG_NAME = "container-log.json"


def log_size(bundle: Path) -> int:
    try:
        return (bundle / LOG_NAME).stat().st_size
    except FileNotFoundError:
        return 0


def tail_offset(bundle: Path, lines: int) -> int:
    """The byte offset at which the last ``lines`` entries begin (``docker logs --tail``);
    each entry is one line of output, whichever stream it came from."""
    if lines <= 0:
        return log_size(bundle)
    try:
        with open(bundle / LOG_NAME, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return 0
    end = len(data) - (1 if data.endswith(b"\n") else 0)
    for _ in range(lines):
        end = data.rfind(b"\n", 0, end)
        if end == -1:
            return 0
    return end + 1


def read_entries(bundle: Path, start: int = 0, end: int | None = None) -> "list[dict[str, Any]]":
    """The entries between byte offsets ``start`` and ``end`` (the end of the file if None)."""
    try:
        with open(bundle / LOG_NAME, "rb") as f:
            f.seek(start)
            data = f.read() if end is None else f.read(max(0, end - start))
    except FileNotFoundError:
        return []
    entries = []
    for line in data.splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut by a crash mid-write
    return entries


def print_log(out, bundle: Path, start: int = 0, end: int | None = None, timestamps: bool = False,
              since: float | None = None, until: float | None = None, details: bool = False) -> None:
    """Write the entries to ``out`` (anything with ``out``/``err``), each to its own stream;
    ``since``/``until`` (seconds since the epoch): only those written in between;
    ``details``: each after its attributes (a json-file log has none: a space)."""
    from ..model.present import parse_time

    for entry in read_entries(bundle, start, end):
        if since is not None or until is not None:
            written = parse_time(entry["time"])
            if (since is not None and written < since) or (until is not None and written > until):
                continue
        text = (entry["time"] + " " if timestamps else "") + (" " if details else "") + entry["log"]
        (out.out if entry["stream"] == "stdout" else out.err)(text)
