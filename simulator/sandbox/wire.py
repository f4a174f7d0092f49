"""The attach protocol between a shim and whoever attaches to its container.

Both directions are frames: one byte of kind, four bytes of length, the payload. A client
first sends IN_HELLO with the log offset it has already seen; the shim answers with the log
from there on, then live output, as STDOUT/STDERR frames: an attaching client misses nothing
and sees nothing twice, even if the container is already gone (and, with ``--rm``, its log
with it). EXIT carries the exit code as the last frame.
"""

from __future__ import annotations

import contextlib
import os
import struct
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Iterator

__all__ = [
    "socket_address",
    "FRAME_EXIT",
    "FRAME_STDERR",
    "FRAME_STDOUT",
    "IN_CLOSE",
    "IN_DATA",
    "IN_HELLO",
    "IN_RESIZE",
    "frame",
    "read_frames",
]

FRAME_STDOUT, FRAME_STDERR, FRAME_EXIT = 1, 2, 3
IN_DATA, IN_CLOSE, IN_RESIZE, IN_HELLO = 10, 11, 12, 13

_HEADER = struct.Struct("!BI")


def frame(kind: int, payload: bytes = b"") -> bytes:
    """
    >>> frame(FRAME_STDOUT, b"hi")
    b'\\x01\\x00\\x00\\x00\\x02hi'
    """
    return _HEADER.pack(kind, len(payload)) + payload


def read_frames(buf: bytearray) -> list[tuple[int, bytes]]:
    """Take every complete frame off the front of ``buf`` (which keeps the rest).

    >>> b = bytearray(frame(1, b"a") + frame(2, b"bc")[:3])
    >>> read_frames(b), bytes(b)
    ([(1, b'a')], b'\\x02\\x00\\x00')
    """
    out = []
    while len(buf) >= _HEADER.size:
        kind, length = _HEADER.unpack_from(buf)
        if len(buf) < _HEADER.size + length:
            break
        out.append((kind, bytes(buf[_HEADER.size:_HEADER.size + length])))
        del buf[: _HEADER.size + length]
    return out


@contextlib.contextmanager
def socket_address(bundle: Path) -> Iterator[str]:
    """A short address for ``bundle/attach.sock`` (see ``locations.short_address``)."""
    from ..locations import short_address

    address, fd = short_address(os.fspath(bundle), "attach.sock")
    try:
        yield address
    finally:
        os.close(fd)
