"""Everything dockersim keeps on disk, under one data root (``DOCKERSIM_ROOT``).

::

    <root>/
        lock                 flock held around every read-modify-write
        layers/              read-only layers by chain id (see layers.py)
        images/ repositories.json   image configs and tags (see images.py)
        containers/          one directory per container (see containers.py)
        events/              the messages ``docker events`` shows (see events.py)
        diagrams/            the figure of each step, when figures are on

Writes are atomic (write, fsync, rename); readers need no lock.

The store keeps its paths as strings (``location``) and joins them with ``os.path``:
``dockersim ps`` and ``inspect`` read only here, and importing ``pathlib`` would cost them
a third of their time. ``root``, ``dir()`` and the other ``Path`` views are built on demand,
for the sandbox and the front ends.
"""

from __future__ import annotations

import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path

    from .events import EventLog
    from .undo import Undo
    from ..model.objects import ContainerRecord

from ..locations import data_location, default_location
from .atomic import StoreLock, read_json, write_atomic, write_json
from .containers import ContainerStore
from .images import ImageStore, config_bytes
from .layers import Layer, LayerStore

__all__ = [
    "ContainerStore",
    "ImageStore",
    "Layer",
    "LayerStore",
    "Store",
    "StoreLock",
    "config_bytes",
    "data_location",
    "default_location",
    "default_root",
    "read_json",
    "write_atomic",
    "write_json",
]


def default_root() -> Path:
    """``DOCKERSIM_ROOT``, else the per-user data directory (XDG)."""
    from pathlib import Path  # for the front ends; the store itself keeps a string

    return Path(default_location())


class Store:
    def __init__(self, root: Path | str | None = None) -> None:
        """Opens the store at ``root`` (default ``DOCKERSIM_ROOT``), making its folders;
        raises ``DataRootError`` where they cannot be made (see ``oserrors``): the first
        use of the root is where a wrong one shows, with no probe before it."""
        self.location = os.fspath(root) if root is not None else default_location()
        try:
            os.makedirs(self.location, exist_ok=True)
            self.lock = StoreLock(os.path.join(self.location, "lock"))
            self.layers = LayerStore(os.path.join(self.location, "layers"))
            self.images = ImageStore(self.location)
            self.containers = ContainerStore(self.location)
        except OSError as err:
            from .oserrors import unusable

            raise unusable(err, self.location) from None

    @property
    def root(self) -> Path:
        """The data root as a ``Path`` (``location`` is the same as a string)."""
        from pathlib import Path  # on demand: see the module docstring

        return Path(self.location)

    @property
    def events(self) -> "EventLog":
        """The event log (``docker events``); opened on first use: ``ps`` never needs it."""
        from .events import EventLog

        return EventLog(self.location)

    def tell(self, action: str, record: "ContainerRecord", **extra: str) -> None:
        """Log one of ``record``'s transitions for ``docker events`` (model/events.py), at
        the wall clock's time: the CLI's, the daemon's and the shims' messages interleave."""
        import time

        from ..model.events import container_event

        self.events.append(container_event(action, record.id, record.config.image, record.name, time.time_ns(),
                                           **record.config.labels, **extra))  # Docker adds the labels

    # Shims report through these three; each is one locked read-modify-write, told as it is
    # done: only the shim knows when PID 1 is there and when it has ended.
    def record_start(self, cid: str, pid: int, started_at: str, shim_pid: int, freezer: str, userns: str,
                     root: str = "") -> None:
        with self.lock():
            record = self.containers.get(cid)
            self.tell("start", record)  # before the shim answers, so before this start's die
            self.containers.save(
                record._replace(
                    status="running",
                    pid=pid,
                    pid_start=_start_time(pid),
                    exit_code=0,
                    error="",
                    started_at=started_at,
                    shim_pid=shim_pid,
                    shim_start=_start_time(shim_pid),
                    sandbox=f"pause: {freezer}; user namespace: {userns}" + (f"; root: {root}" if root else ""),
                )
            )

    def record_exit(self, cid: str, code: int, finished_at: str) -> None:
        with self.lock():
            try:
                record = self.containers.get(cid)
            except FileNotFoundError:
                return  # removed with -f while we were finishing
            self.containers.save(
                record._replace(status="exited", pid=0, exit_code=code, finished_at=finished_at, shim_pid=0)
            )
            self.tell("die", record, exitCode=str(code))

    def undo(self) -> "Undo":
        """``with store.lock(), store.undo() as undo:`` what ``undo`` adds is taken back if
        the block fails (a full disk between a layer and its image's tag)."""
        from .undo import Undo

        return Undo(self)

    def remove_container(self, cid: str) -> None:
        """``--rm``: the container goes once its end has been told."""
        with self.lock():
            if os.path.exists(self.containers.bundle(cid)):
                record = self.containers.get(cid)
                self.containers.remove(cid)
                self.tell("destroy", record)


def _start_time(pid: int) -> float:
    """A process's start time in clock ticks since boot (tells a pid from a recycled one)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return float(f.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return 0.0


def process_alive(pid: int, start: float) -> bool:
    """Whether ``pid`` is still the process that started at ``start`` and has not ended
    (a zombie, ended but not yet reaped, counts as ended)."""
    if pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return False
    return fields[0] not in (b"Z", b"X") and float(fields[19]) == start
