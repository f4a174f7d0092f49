"""Crash-safe writes and the store's lock.

Every file the store writes goes through ``write_atomic``: write a temporary file beside the
target, fsync it, rename it over the target, fsync the directory. A reader therefore sees the
old file or the new one, never half of one, even if the writer is killed in the middle.
"""

from __future__ import annotations

import _thread
import fcntl
import json
import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    StrPath = str | os.PathLike[str]

__all__ = ["StoreLock", "read_json", "rmtree", "write_atomic", "write_json"]


def write_atomic(path: StrPath, data: bytes) -> None:
    """Takes a string or a Path: the store works with strings (see ``Store``)."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:  # a short write is possible, and ends in ENOSPC on a full disk
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:  # a full disk, say: the old file stays, and no stray temporary
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    dirfd = os.open(folder or ".", os.O_RDONLY)
    try:
        os.fsync(dirfd)
    finally:
        os.close(dirfd)


def write_json(path: StrPath, obj: Any, *, in_place_if_full: bool = False) -> None:
    """``in_place_if_full``: on a full disk, overwrite the existing file in its own blocks
    (see ``rewrite_in_place``) rather than fail."""
    data = json.dumps(obj, indent=1, sort_keys=True).encode()
    try:
        write_atomic(path, data)
    except OSError as err:
        import errno  # here: `ps` never writes

        if not in_place_if_full or err.errno != errno.ENOSPC:
            raise
        rewrite_in_place(path, data)


def rewrite_in_place(path: StrPath, data: bytes) -> None:
    """Overwrite ``path`` with ``data`` where it lies, for a full disk only: the file's
    blocks are allocated already, so a small record that grows by a few bytes still fits
    where a temporary copy cannot. Not atomic (a crash in the middle leaves half of it);
    used where losing the write is worse: a container's exit, which the shim records once."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        view, offset = memoryview(data), 0
        while offset < len(data):
            offset += os.pwrite(fd, view[offset:], offset)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_json(path: StrPath) -> Any:
    with open(path, "rb") as f:
        return json.load(f)


class StoreLock:
    """An exclusive ``flock`` on one file, re-entrant within a thread: ``with lock(): ...``.

    Held around every read-modify-write of the store, so two terminals (or a terminal and a
    notebook, or two threads of one notebook) never interleave their changes. Each thread
    opens its own descriptor: flocks on different descriptors exclude each other even
    inside one process. Built on ``_thread``, not ``threading``: listing containers does
    not pay for importing ``threading``.
    """

    def __init__(self, path: StrPath) -> None:
        self.path = path
        self._local = _thread._local()  # per thread: .fd and .depth

    def __call__(self) -> StoreLock:
        return self

    def __enter__(self) -> None:
        local = self._local
        depth = getattr(local, "depth", 0)
        if depth == 0:
            local.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            fcntl.flock(local.fd, fcntl.LOCK_EX)
        local.depth = depth + 1

    def __exit__(self, *exc_info: object) -> None:
        local = self._local
        local.depth -= 1
        if local.depth == 0:
            os.close(local.fd)  # closing releases the flock


def remembered(path: str, key: str, probe) -> str:
    """The answer ``probe()`` gave, kept in the file ``path`` for as long as ``key`` (what
    the answer depends on) stays the same; an unwritable place means asking again next time."""
    try:
        with open(path) as f:
            remembered_key, _, answer = f.read().partition("\n")
        if remembered_key == key:
            return answer
    except OSError:
        pass
    answer = probe()
    try:
        write_atomic(path, f"{key}\n{answer}".encode())
    except OSError:
        pass
    return answer


def rmtree(path: StrPath) -> None:
    """Remove a tree even where overlayfs left a directory without permissions (work/work)."""

    def retry(function, target, _exc):
        try:
            os.chmod(os.path.dirname(target), 0o700)
            os.chmod(target, 0o700)
            if function is os.open:  # a directory it could not enter: now it can
                rmtree(target)
            else:
                function(target)
        except OSError:
            pass

    if os.path.exists(path):
        import shutil  # here, not at the top: listing containers must not pay for it

        shutil.rmtree(path, onerror=retry)
