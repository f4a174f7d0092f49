"""Layer tars and read-write layer changes.

A layer is a tar diff: the files a layer adds or changes, plus an OCI whiteout
(``.wh.<name>``) for each file it deletes. Its diffID is the sha256 of the uncompressed tar.
Tars written here are reproducible: entries sorted, owner and times normalised, so the same
files always give the same diffID (and a lesson gives the same figures every time).

``changes`` reads an overlayfs upper directory the way ``docker diff`` does: a character
device 0/0 is a deleted file (overlayfs' whiteout), anything else was added or changed
depending on whether a lower layer has it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
from collections import namedtuple
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import BinaryIO, Iterator

__all__ = ["Change", "HashingWriter", "changes", "tar_directory"]

EPOCH = 0  # mtime recorded in reproducible tars


class Change(namedtuple("Change", ["path", "kind"])):
    """One line of ``docker diff``: ``kind`` is A (added), C (changed) or D (deleted)."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"


class HashingWriter:
    """A file wrapper that hashes and counts what passes through it."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.f.write(data)

    @property
    def digest(self) -> str:
        return "sha256:" + self.sha.hexdigest()


def _walk(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every path under ``root`` (relative, sorted depth-first), with its lstat."""
    stack = [""]
    while stack:
        rel = stack.pop()
        base = root / rel if rel else root
        with os.scandir(base) as it:
            entries = sorted(it, key=lambda e: e.name, reverse=True)
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            st = entry.stat(follow_symlinks=False)
            yield child, st
        # depth-first in name order: push directories so the smallest name pops first
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(f"{rel}/{entry.name}" if rel else entry.name)


def _sorted_walk(root: Path) -> list[tuple[str, os.stat_result]]:
    return sorted(_walk(root), key=lambda item: item[0].split("/"))


def tar_directory(src: Path, out: BinaryIO) -> tuple[str, int]:
    """Write ``src`` as a reproducible tar; return (diffID, unpacked size in bytes)."""
    writer = HashingWriter(out)
    size = 0
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[arg-type]
        for rel, st in _sorted_walk(src):
            info = tarfile.TarInfo(rel)
            info.mode = stat.S_IMODE(st.st_mode)
            info.mtime = EPOCH
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            full = src / rel
            if stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(full)
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                size += st.st_size
                with open(full, "rb") as f:
                    tar.addfile(info, f)
            # sockets, fifos and devices are not layer content
    return writer.digest, size


def _in_lowers(rel: str, lowers: list[Path]) -> bool:
    return any(os.path.lexists(lower / rel) for lower in lowers)


def changes(upper: Path, lowers: list[Path]) -> list[Change]:
    """What the read-write layer ``upper`` holds, as ``docker diff`` lists it (sorted)."""
    out: list[Change] = []
    for rel, st in _sorted_walk(upper):
        path = "/" + rel
        if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
            out.append(Change(path, "D"))
        elif _in_lowers(rel, lowers):
            out.append(Change(path, "C"))
        else:
            out.append(Change(path, "A"))
    return out
