"""Pausing a container: the cgroup freezer where the machine lets us write it, signals where not.

``docker pause`` freezes every process of a container at once, without them noticing: the
cgroup freezer. When no freezer cgroup is writable (no root, cgroup v1 without delegation)
we send SIGSTOP to every process instead, and SIGCONT to resume; the processes could notice
that, so ``info`` and the figures say which one is in use.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

__all__ = ["Freezer", "freezer_for"]

_V1_ROOT = Path("/sys/fs/cgroup/freezer")
_V2_ROOT = Path("/sys/fs/cgroup")
_PARENT = "dockersim"


class Freezer:
    """Signals: SIGSTOP/SIGCONT to each process. Subclasses use a real cgroup."""

    mechanism = "SIGSTOP/SIGCONT of every process"
    path: Path | None = None

    def __init__(self, container_id: str) -> None:
        self.container_id = container_id

    def create(self) -> bool:
        return True

    def join(self) -> None:
        """Put the calling process in the container's freezer, before it execs the
        container's command (a forked, single-threaded child: PID 1, an exec)."""

    def holds(self, pid: int) -> bool:
        """Whether ``pid`` is among the processes this freezer freezes."""
        return True

    def freeze(self, pids: list[int]) -> None:
        for pid in pids:
            _signal(pid, signal.SIGSTOP)

    def thaw(self, pids: list[int]) -> None:
        for pid in pids:
            _signal(pid, signal.SIGCONT)

    def destroy(self) -> None:
        pass


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


class _CgroupFreezer(Freezer):
    root: Path

    def __init__(self, container_id: str) -> None:
        super().__init__(container_id)
        self.path = self.root / _PARENT / container_id

    def create(self) -> bool:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            return True
        except OSError:
            return False

    def join(self) -> None:
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def holds(self, pid: int) -> bool:
        try:
            return str(pid) in (self.path / "cgroup.procs").read_text().split()
        except OSError:
            return False

    def destroy(self) -> None:
        try:
            self.path.rmdir()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # still has members; the last one to leave lets the next call remove it

    def _set(self, filename: str, value: str, read, wanted: str) -> None:
        """Write the freezer's control file and wait until the kernel has done it.

        The kernel moves FREEZING -> FROZEN on its own; there is no event to wait on. A
        cgroup that disappears meanwhile (its last process ended, the shim removed it)
        holds nothing frozen any more: that is done too. A file opened just before the
        directory went reads as ENODEV rather than ENOENT.
        """
        try:
            (self.path / filename).write_text(value)
            deadline = time.monotonic() + 5
            while read() != wanted and time.monotonic() < deadline:
                time.sleep(0.001)
        except OSError as gone:
            if gone.errno not in (errno.ENOENT, errno.ENODEV):
                raise


class CgroupV1Freezer(_CgroupFreezer):
    mechanism = "cgroup v1 freezer"
    root = _V1_ROOT

    def join(self) -> None:
        """Move the calling thread (the whole of a single-threaded process) by writing 0 to
        ``tasks``. Moving a whole thread group (``cgroup.procs``, or any other process's
        pid) takes the kernel's threadgroup lock, whose release waits for an RCU grace
        period: 5 to 10 ms on every start and exec. Moving oneself, thread by thread,
        needs no such lock."""
        (self.path / "tasks").write_text("0")

    def _state(self) -> str:
        return (self.path / "freezer.state").read_text().strip()

    def freeze(self, pids: list[int]) -> None:
        self._set("freezer.state", "FROZEN", self._state, "FROZEN")

    def thaw(self, pids: list[int]) -> None:
        self._set("freezer.state", "THAWED", self._state, "THAWED")


class CgroupV2Freezer(_CgroupFreezer):
    mechanism = "cgroup v2 freezer (cgroup.freeze)"
    root = _V2_ROOT

    def _frozen(self) -> str:
        for line in (self.path / "cgroup.events").read_text().splitlines():
            if line.startswith("frozen "):
                return line.split()[1]
        return ""

    def freeze(self, pids: list[int]) -> None:
        self._set("cgroup.freeze", "1", self._frozen, "1")

    def thaw(self, pids: list[int]) -> None:
        self._set("cgroup.freeze", "0", self._frozen, "0")


def freezer_for(container_id: str) -> Freezer:
    """The best freezer this machine offers us, decided by what we can actually write."""
    if (_V1_ROOT / "freezer.state").exists() or _V1_ROOT.is_dir():
        if os.access(_V1_ROOT, os.W_OK):
            return CgroupV1Freezer(container_id)
    elif (_V2_ROOT / "cgroup.controllers").exists() and os.access(_V2_ROOT, os.W_OK):
        return CgroupV2Freezer(container_id)
    return Freezer(container_id)


def why_freezer() -> tuple[str, str]:
    """(mechanism, reason) for ``info``."""
    f = freezer_for("probe")
    if isinstance(f, CgroupV1Freezer):
        return f.mechanism, f"{_V1_ROOT} is writable"
    if isinstance(f, CgroupV2Freezer):
        return f.mechanism, f"{_V2_ROOT} is writable"
    return f.mechanism, "no writable freezer cgroup (needs root or a delegated cgroup)"
