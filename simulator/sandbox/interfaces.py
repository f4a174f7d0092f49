"""The two seams between the engine and the kernel, named as containerd names them.

Snapshotter
    Turns a chain of read-only layers into a file system a container can write to.

    * ``prepare(key, parents)`` makes an *active* snapshot called ``key`` over the committed
      layers ``parents`` (bottom first) and returns the mounts that show it.
    * ``changes(key)`` says what the active snapshot holds (``docker diff``).
    * an active snapshot lives in the container's directory, so ``docker rm`` removes it
      with everything else in one rename (the store's ``ContainerStore.remove``).

    Running a container: ``mounts = snapshotter.prepare(container_id, layer_dirs)``; the
    runtime mounts ``mounts`` as the container's root; ``docker diff`` is
    ``snapshotter.changes(container_id)``.

Runtime
    Runs a container's processes: a *task* is the container's main process (PID 1 in its own
    namespaces) watched over by a shim.

    * ``start(container)`` starts the task and returns its host pid.
    * ``kill(container, signal)`` signals PID 1; ``pause``/``resume`` freeze and thaw every
      process of the container; ``pids`` lists them; ``exec`` adds one more process.

Values cross the seam (``Mount``, pids, exit codes); only ``sandbox/`` touches the kernel.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Protocol

    from .changes import Change

__all__ = ["Mount", "Runtime", "Snapshotter", "TaskSpec"]


class Mount(namedtuple("Mount", ["type", "source", "options"], defaults=[()])):
    """A mount to perform, as data: ``mount -t type -o options source target``."""

    __slots__ = ()


_TASK_FIELDS = {
    "container_id": "",
    "bundle": None,  # the container's directory (a Path)
    "argv": (),
    "env": (),
    "cwd": "/",
    "hostname": "",
    "tty": False,
    "open_stdin": False,
    "mounts": (),
    "auto_remove": False,
    "attached": False,  # someone will attach right after the start (run, start -a)
    "attacher": 0,  # the pid of that someone: if it dies first, the shim stops waiting
    "user": "",  # the user the command runs as (Docker's Config.User)
    "network": "none",  # "none": a network namespace with a loopback only; "host": the host's
    "proot": False,  # the process tier: run the command under PRoot, the container's root as /
}


class TaskSpec(namedtuple("TaskSpec", _TASK_FIELDS, defaults=_TASK_FIELDS.values())):
    """Everything the shim needs to start a container's main process."""

    __slots__ = ()


# The two interfaces, for readers and type checkers. Nothing checks them at run time, and
# defining them would import typing into every CLI call that touches a container.
if TYPE_CHECKING:
    class Snapshotter(Protocol):
        name: str

        def prepare(self, key: str, parents: list[Path]) -> list[Mount]: ...

        def mounts(self, key: str, parents: list[Path]) -> list[Mount]: ...

        def changes(self, key: str, parents: list[Path]) -> list["Change"]: ...

        def upper(self, key: str) -> Path: ...



    class Runtime(Protocol):
        name: str

        def start(self, spec: TaskSpec) -> int: ...

        def kill(self, pid: int, signal: int) -> None: ...

        def pause(self, container_id: str, pid: int) -> None: ...

        def resume(self, container_id: str, pid: int) -> None: ...

        def pids(self, pid: int) -> list[int]: ...

        def exec(self, container_id: str, pid: int, argv: list[str], env: list[str], cwd: str,
                 stdin: int, stdout: int, stderr: int, rootfs: Path | None = None, user: str = "",
                 detach: bool = False) -> int: ...
        """Run ``argv`` as one more process of the container; its exit code, or with
        ``detach`` 0 as soon as it runs (it goes on by itself, as ``docker exec -d``)."""
