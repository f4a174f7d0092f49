"""The detach keys: the key sequence that leaves an attached terminal with the container
still running (Ctrl-P Ctrl-Q unless ``--detach-keys`` says otherwise).

Docker applies them to a container's terminal only (``-t``): on a plain stream a Ctrl-P is
just a byte. Its daemon watches the keystrokes on their way in and holds back a prefix of
the sequence until the next key decides: the whole sequence detaches, anything else lets
the held keys through. This module is pure: the sandbox feeds it what the learner types.

>>> parse_detach_keys("ctrl-p,ctrl-q")
b'\\x10\\x11'
>>> parse_detach_keys("ctrl-a,x")
b'\\x01x'
>>> watch = Watcher(DEFAULT)
>>> watch.feed(b"ls\\x10"), watch.feed(b"\\x10x"), watch.feed(b"\\x10\\x11")
((b'ls', False), (b'\\x10\\x10x', False), (b'', True))
"""

from __future__ import annotations

__all__ = ["DEFAULT", "Watcher", "parse_detach_keys"]

#: Ctrl-P Ctrl-Q, as Docker's default.
DEFAULT = b"\x10\x11"

# What Docker names the control characters 0 to 31 (moby's term.ASCII).
_CONTROL = ["ctrl-@", *(f"ctrl-{chr(c)}" for c in range(ord("a"), ord("z") + 1)),
            "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"]


def parse_detach_keys(keys: str | None) -> bytes:
    """``--detach-keys`` as bytes: comma-separated keys, each one character or ``ctrl-X``.

    A sequence Docker cannot read is refused by its daemon when the attach is asked for;
    the 28.x client then prints only the status it got back:

    >>> parse_detach_keys("foo")
    Traceback (most recent call last):
    ...
    simulator.model.errors.DockerError: unable to upgrade to tcp, received 400
    """
    from .errors import DockerError

    if not keys:
        return DEFAULT
    codes = bytearray()
    for key in keys.split(","):
        if len(key) == 1:
            codes += key.encode()
        elif key in _CONTROL:
            codes.append(_CONTROL.index(key))
        else:
            raise DockerError("unable to upgrade to tcp, received 400")
    return bytes(codes)


class Watcher:
    """Watches keystrokes for the detach sequence, as Docker's escape proxy does."""

    def __init__(self, keys: bytes = DEFAULT) -> None:
        self.keys = keys
        self.held = b""

    def feed(self, data: bytes) -> tuple[bytes, bool]:
        """What to pass on to the container now, and whether the sequence is complete."""
        out = bytearray()
        for byte in data:
            if byte == self.keys[len(self.held)]:
                self.held += bytes((byte,))
                if self.held == self.keys:
                    self.held = b""
                    return bytes(out), True
            else:
                out += self.held + bytes((byte,))
                self.held = b""
        return bytes(out), False
