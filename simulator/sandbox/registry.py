"""The offline registry: images built from what the host already has. Nothing is downloaded.

``busybox`` is the host's static busybox with a symlink per applet and empty ``/etc /tmp
/proc /sys /dev``, ``CMD ["sh"]``: the same tree a reference Docker engine imports, so the two
can be compared file for file. Without a static busybox, the host's shell and core
utilities are copied with the shared libraries they need.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

__all__ = ["KNOWN", "build_rootfs", "describe", "find_static_busybox", "is_static_elf"]

#: repository -> tags the offline registry can make.
KNOWN = {"busybox": ("latest",)}

_FALLBACK_TOOLS = (
    "sh cat echo ls mkdir rm touch sleep true false env pwd cp mv ln head tail wc grep sed "
    "ps id hostname date uname chmod kill"
).split()


def is_static_elf(path: str) -> bool:
    """True for an ELF executable with no program interpreter (so no shared libraries)."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:  # 64-bit only
            return False
        endian = "<" if head[5] == 1 else ">"
        phoff = struct.unpack_from(endian + "Q", head, 0x20)[0]
        phentsize, phnum = struct.unpack_from(endian + "HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        (p_type,) = struct.unpack_from(endian + "I", table, i * phentsize)
        if p_type == 3:  # PT_INTERP
            return False
    return True


def find_static_busybox() -> str | None:
    for candidate in (shutil.which("busybox"), "/bin/busybox", "/usr/bin/busybox"):
        if candidate and os.path.exists(candidate) and is_static_elf(candidate):
            return os.path.realpath(candidate)
    return None


def describe() -> str:
    """Where ``pull busybox`` takes its files from on this machine (for ``info``)."""
    busybox = find_static_busybox()
    if busybox:
        return f"busybox from the host's static busybox ({busybox})"
    return "busybox from the host's shell and core utilities with their shared libraries (no static busybox)"


def build_rootfs(dest: Path) -> str:
    """Fill ``dest`` with the busybox tree; return a sentence saying where it came from."""
    for d in ("bin", "etc", "tmp", "proc", "sys", "dev"):
        (dest / d).mkdir(parents=True, exist_ok=True)
    os.chmod(dest / "tmp", 0o1777)
    busybox = find_static_busybox()
    if busybox:
        shutil.copy2(busybox, dest / "bin" / "busybox")
        os.chmod(dest / "bin" / "busybox", 0o755)
        applets = subprocess.run(
            [busybox, "--list"], capture_output=True, text=True, check=True
        ).stdout.split()
        for applet in applets:
            if applet != "busybox":
                os.symlink("busybox", dest / "bin" / applet)
        return f"static busybox from {busybox}"
    return _copy_host_tools(dest)


def _copy_host_tools(dest: Path) -> str:
    """Fallback: the host's own tools with their shared libraries (found with ``ldd``)."""
    copied = []
    libs: set[str] = set()
    for tool in _FALLBACK_TOOLS:
        path = shutil.which(tool)
        if not path:
            continue
        real = os.path.realpath(path)
        shutil.copy2(real, dest / "bin" / tool)
        copied.append(tool)
        out = subprocess.run(["ldd", real], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            for part in parts:
                if part.startswith("/"):
                    libs.add(part)
    for lib in libs:
        target = dest / lib.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.realpath(lib), target)
    return f"host tools ({len(copied)}) with {len(libs)} shared libraries (no static busybox found)"
