"""Confining a process tier container's writes to its own root, with Linux Landlock.

The process tier has no mount namespace, so ``/tmp/x`` inside a container is the host's
``/tmp/x``. Landlock (Linux 5.13+, no privileges needed) lets a process give up the right to
create, change or delete files anywhere but beneath one directory: the container's copy of
its root. Reading stays allowed, so the host's programs and ``/proc`` still work.
"""

from __future__ import annotations

import ctypes
import functools
import os
import struct

__all__ = ["abi_version", "confine_writes"]

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same on every architecture
_VERSION_FLAG = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# LANDLOCK_ACCESS_FS_* bits: everything that changes the file system, by the ABI that added it
_WRITES = {
    1: (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12),
    2: 1 << 13,  # REFER: link or rename across directories
    3: 1 << 14,  # TRUNCATE
}
_WRITE_FILE, _TRUNCATE = 1 << 1, 1 << 14

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


@functools.cache
def abi_version() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is missing or disabled."""
    version = _libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION_FLAG))
    return max(0, int(version))


def _rights(abi: int) -> int:
    return sum(bits for version, bits in _WRITES.items() if version <= abi)


def confine_writes(root: str, *also: str) -> bool:
    """From now on (and after exec), this process may change files only beneath ``root``
    and ``also`` (and write to the devices in /dev). Returns False where Landlock is
    unavailable."""
    abi = abi_version()
    if abi < 1:
        return False
    handled = _rights(abi)
    attr = struct.pack("Q", handled)
    ruleset = _libc.syscall(_CREATE_RULESET, attr, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        for path, allowed in ((root, handled), *((p, handled) for p in also if os.path.isdir(p)),
                              ("/dev", handled & (_WRITE_FILE | _TRUNCATE))):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = struct.pack("=Qi", allowed, fd)
                if _libc.syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), rule, ctypes.c_uint32(0)) < 0:
                    return False
            finally:
                os.close(fd)
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return _libc.syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0
    finally:
        os.close(ruleset)
