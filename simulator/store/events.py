"""The event log: every message ``docker events`` can show, one JSON line each.

::

    <root>/events/
        events.json      the newest messages, one ``{{json .}}`` line each, appended
        events.json.1    the ones before, once events.json passed ROTATE_BYTES
        rotate.lock      flock held while the two are swapped

Several processes write here at once: the command's own process (or the daemon's worker),
and each container's shim, which alone sees the container's process end and tells ``die``
(and, for ``--rm``, ``destroy``). Each message is one ``write`` of one short line to a file
opened with ``O_APPEND``: the kernel appends it whole, after every other, without a lock.
Docker keeps its last 256 messages for ``--since``; so does a reader here (``EVENTS_LIMIT``),
from the two files, which together hold more than that and never much more.

A following reader (``docker events`` without ``--until``) sleeps on inotify for the
folder and wakes when a line lands or the files are swapped; where inotify is missing
(not Linux) it looks every ``POLL_SECONDS`` instead.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Iterator

__all__ = ["EventLog"]

ROTATE_BYTES = 256 * 1024  # a message is 200 to 500 bytes: past the newest 256, always
POLL_SECONDS = 0.2
_NAME = "events.json"


class EventLog:
    """Append messages; read the kept ones; follow new ones as they come."""

    def __init__(self, root: str) -> None:
        self.location = os.path.join(root, "events")
        self.path = os.path.join(self.location, _NAME)

    # ------------------------------------------------------------------ writing
    def append(self, event: dict[str, Any]) -> None:
        """Add one message (Docker's ``{{json .}}`` of it) as one appended line. A data root
        that refuses (read-only, full) loses the message, not the command: Docker's daemon
        does not fail a command for its event either."""
        line = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"
        try:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except FileNotFoundError:
                os.makedirs(self.location, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                os.write(fd, line)
                size = os.fstat(fd).st_size
            finally:
                os.close(fd)
            if size > ROTATE_BYTES:
                self._rotate()
        except OSError:
            pass

    def _rotate(self) -> None:
        """events.json becomes events.json.1 (the older one goes), under a lock so that two
        writers past the limit at once rotate once."""
        import fcntl

        fd = os.open(os.path.join(self.location, "rotate.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.stat(self.path).st_size > ROTATE_BYTES:
                    os.replace(self.path, self.path + ".1")
            except FileNotFoundError:
                pass
        finally:
            os.close(fd)

    # ------------------------------------------------------------------ reading
    def kept(self) -> tuple[list[dict[str, Any]], tuple[int, int]]:
        """The messages a daemon would still have (the newest ``EVENTS_LIMIT``), oldest first,
        and where the current file ends ((inode, offset): where following goes on)."""
        from collections import deque

        from ..model.events import EVENTS_LIMIT

        last: deque[bytes] = deque(maxlen=EVENTS_LIMIT)  # raw lines: only the kept ones are decoded
        position = (0, 0)
        for path in (self.path + ".1", self.path):
            try:
                with open(path, "rb") as f:
                    data = f.read()
                    if path == self.path:
                        position = (os.fstat(f.fileno()).st_ino, len(data))
            except FileNotFoundError:
                continue
            complete = data[:data.rfind(b"\n") + 1]
            if path == self.path:
                position = (position[0], len(complete))
            last.extend(complete.splitlines())
        return list(_messages(b"\n".join(last))), position

    def window(self, since_ns: int | None, until_ns: int | None, follow: bool) -> Iterator[dict[str, Any]]:
        """What ``docker events`` shows for a window (model/events.py's ``time_window``): the
        kept messages from ``since_ns`` to ``until_ns`` (none without either; ``until_ns``
        0: no end), then, with ``follow``, those that come, until ``until_ns`` if given."""
        kept, position = self.kept()
        if since_ns is not None or until_ns is not None:
            yield from (e for e in kept if e["timeNano"] >= (since_ns or 0) and not (until_ns and e["timeNano"] > until_ns))
        if follow:
            for event in self.follow(position, until_ns / 1e9 if until_ns else None):
                if not (until_ns and event["timeNano"] > until_ns):
                    yield event

    def follow(self, position: tuple[int, int], deadline: float | None = None) -> Iterator[dict[str, Any]]:
        """The messages written after ``position`` (from ``kept``), as they come, for ever
        or until ``deadline`` (seconds since the epoch: ``--until`` in the future)."""
        import time

        inode, offset = position
        with _Waker(self.location) as waker:
            while True:
                try:
                    f = open(self.path, "rb")
                except FileNotFoundError:
                    f = None
                with f if f is not None else _Nothing():
                    current = os.fstat(f.fileno()).st_ino if f is not None else 0
                    if current != inode:  # swapped: finish the old file, then read the new one from its start
                        if inode:
                            yield from self._rest(self.path + ".1", inode, offset)
                        inode, offset = current, 0
                    data = b""
                    if f is not None:
                        f.seek(offset)
                        data = f.read()
                complete = data[:data.rfind(b"\n") + 1]
                offset += len(complete)
                yield from _messages(complete)
                left = None if deadline is None else deadline - time.time()
                if left is not None and left <= 0:
                    return
                waker.wait(left)

    @staticmethod
    def _rest(path: str, inode: int, offset: int) -> Iterator[dict[str, Any]]:
        try:
            with open(path, "rb") as f:
                if os.fstat(f.fileno()).st_ino != inode:
                    return  # rotated twice since: those are gone, as from Docker's ring
                f.seek(offset)
                data = f.read()
        except FileNotFoundError:
            return
        yield from _messages(data[:data.rfind(b"\n") + 1])


def _messages(data: bytes) -> Iterator[dict[str, Any]]:
    for line in data.splitlines():
        try:
            yield json.loads(line)
        except ValueError:
            continue  # a line torn by a full disk: skipped, as a lost message


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _Waker:
    """Sleep until the events folder changes: inotify where Linux has it (through ctypes,
    no dependency), else a short sleep."""

    _MASK = 0x2 | 0x8 | 0x80 | 0x100  # IN_MODIFY, IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.fd = -1

    def __enter__(self) -> "_Waker":
        os.makedirs(self.folder, exist_ok=True)
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_CLOEXEC)
            if fd >= 0 and libc.inotify_add_watch(fd, os.fsencode(self.folder), self._MASK) < 0:
                os.close(fd)
                fd = -1
            self.fd = fd
        except (OSError, AttributeError):
            self.fd = -1
        return self

    def wait(self, timeout: float | None = None) -> None:
        """Until the folder changes, or ``timeout`` seconds; Ctrl-C interrupts it."""
        if self.fd < 0:
            import time

            time.sleep(POLL_SECONDS if timeout is None else min(POLL_SECONDS, timeout))
            return
        import select

        if select.select([self.fd], [], [], timeout)[0]:
            os.read(self.fd, 4096)

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
