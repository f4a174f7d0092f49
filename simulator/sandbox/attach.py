"""Attaching to a running container through its shim's ``attach.sock``.

We tell the shim which part of the log we have seen (``offset``); it sends the rest of the
log and then live output as frames. Our stdin, when
given, is forwarded; a terminal is put in raw mode for a tty container, so ``run -it busybox
sh`` is a real shell. On a tty container the detach keys (Ctrl-P Ctrl-Q) end the attach and
leave the container running: ``Detached`` says so to the caller.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import struct
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import BinaryIO, Iterator
    from ..engine import Output

from .logs import print_log
from .wire import FRAME_EXIT, FRAME_STDERR, FRAME_STDOUT, IN_CLOSE, IN_DATA, IN_HELLO, IN_RESIZE, frame, read_frames, socket_address


__all__ = ["Detached", "ForcedExit", "attach", "signals_swallowed"]


class Detached(Exception):
    """The learner typed the detach keys: the container runs on without us."""


class ForcedExit(Exception):
    """A third Ctrl-C (or SIGTERM) while signals are neither proxied nor ending the attach."""


@contextlib.contextmanager
def signals_swallowed(limit: int = 3) -> Iterator[None]:
    """``attach --sig-proxy=false`` as the 28.x docker CLI has it: SIGINT and SIGTERM reach
    neither the container nor the attach, until the ``limit``-th one ends it (``ForcedExit``).
    Outside the main thread (where no handler can be set) nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    count = 0

    def swallow(number: int, _frame: object) -> None:
        nonlocal count
        count += 1
        if count >= limit:
            raise ForcedExit()

    previous = {sig: signal.signal(sig, swallow) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _connect(bundle: Path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with socket_address(bundle) as address:
            sock.connect(address)
    except OSError:
        sock.close()
        return None
    return sock


def attach(bundle: Path, out: "Output", offset: int, stdin: BinaryIO | None, tty: bool, *,
           detach_keys: bytes | None = None, close_stdin: bool = True, redraw: bool = False) -> int | None:
    """Relay until the container exits; return its exit code (None if it was already gone).

    ``detach_keys``: on a tty, the sequence that raises ``Detached`` instead of reaching the
    container. ``close_stdin``: whether the end of our stdin closes the container's (``run
    -i``) or only stops forwarding it (``docker attach``: others may still type to it).
    ``redraw``: resize the terminal twice, so that a shell attached to mid-way redraws its
    prompt on the SIGWINCH (what a learner sees in Docker too)."""
    from ..model.detachkeys import Watcher
    sock = _connect(bundle)
    if sock is None:
        print_log(out, bundle, offset, None)
        return None
    buf = bytearray()
    code: int | None = None
    sock.sendall(frame(IN_HELLO, str(offset).encode()))
    restore = None
    stdin_fd = None
    if stdin is not None:
        try:
            stdin_fd = stdin.fileno()
        except (AttributeError, OSError, ValueError):
            stdin_fd = None
    watcher = Watcher(detach_keys) if detach_keys and tty else None
    if stdin_fd is not None and tty and os.isatty(stdin_fd):
        restore = _raw(stdin_fd)
        _send_size(sock, stdin_fd, redraw)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, "sock")
    if stdin_fd is not None:
        sel.register(stdin_fd, selectors.EVENT_READ, "stdin")
    try:
        while code is None:
            for key, _ in sel.select():
                if key.data == "stdin":
                    data = os.read(stdin_fd, 65536)
                    detached = False
                    if data and watcher is not None:
                        data, detached = watcher.feed(data)
                        if not data and not detached:
                            continue  # a first detach key, held until the next decides
                    if data:
                        sock.sendall(frame(IN_DATA, data))
                    elif not detached:
                        if close_stdin:
                            sock.sendall(frame(IN_CLOSE))
                        sel.unregister(stdin_fd)
                    if detached:
                        raise Detached()
                    continue
                data = sock.recv(65536)
                if not data:
                    return code
                buf += data
                for kind, payload in read_frames(buf):
                    if kind == FRAME_STDOUT:
                        out.out(payload)
                    elif kind == FRAME_STDERR:
                        out.err(payload)
                    elif kind == FRAME_EXIT:
                        code = int(payload)
    finally:
        sel.close()
        sock.close()
        if restore:
            restore()
    return code


def _raw(fd: int):
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    return lambda: termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _send_size(sock: socket.socket, fd: int, redraw: bool = False) -> None:
    try:
        size = os.get_terminal_size(fd)
    except OSError:
        return
    if redraw:  # a size that differs, then the real one: the container's terminal changed
        sock.sendall(frame(IN_RESIZE, struct.pack("!HH", size.lines + 1, size.columns + 1)))
    sock.sendall(frame(IN_RESIZE, struct.pack("!HH", size.lines, size.columns)))
