"""What a read-write layer holds, as ``docker diff`` lists it: a walk of the layer's
directory against the layers below, with no tar in sight (the figures ask this after every
command, so it must not cost tarfile's import).

An overlayfs upper directory marks a deleted file with a whiteout and a directory made anew
over a lower one as opaque (see ``whiteouts``); anything else was added, or changed where a
lower layer has the same path.
"""

from __future__ import annotations

import os
import stat
from collections import namedtuple

from .whiteouts import WHITEOUT, is_opaque, is_whiteout
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["Change", "changes", "sorted_walk"]


class Change(namedtuple("Change", ["path", "kind"])):
    """One line of ``docker diff``: ``kind`` is A (added), C (changed) or D (deleted)."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"


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


def sorted_walk(root: Path) -> list[tuple[str, os.stat_result]]:
    """Every path under ``root`` (relative) with its lstat, parents before children."""
    return sorted(_walk(root), key=lambda item: item[0].split("/"))


def _in_lowers(rel: str, lowers: list[Path]) -> bool:
    return any(os.path.lexists(lower / rel) for lower in lowers)


def _lower_names(rel: str, lowers: list[Path]) -> set[str]:
    """What the lower layers hold in directory ``rel`` (whiteouts aside)."""
    names: set[str] = set()
    for lower in lowers:
        try:
            with os.scandir(lower / rel) as it:
                for entry in it:
                    if not entry.name.startswith(WHITEOUT) and not is_whiteout(entry.stat(follow_symlinks=False)):
                        names.add(entry.name)
        except (NotADirectoryError, FileNotFoundError):
            continue
    return names


def changes(upper: Path, lowers: list[Path]) -> list[Change]:
    """What the read-write layer ``upper`` holds, as ``docker diff`` lists it (sorted).

    An opaque directory hides everything the lower layers hold in it: each such entry that
    the read-write layer does not hold again is listed deleted, as Docker lists it."""
    out: list[Change] = []
    for rel, st in sorted_walk(upper):
        path = "/" + rel
        if is_whiteout(st):
            out.append(Change(path, "D"))
        elif _in_lowers(rel, lowers):
            out.append(Change(path, "C"))
            if stat.S_ISDIR(st.st_mode) and is_opaque(upper / rel):
                hidden = _lower_names(rel, lowers) - set(os.listdir(upper / rel))
                out.extend(Change(f"{path}/{name}", "D") for name in hidden)
        else:
            out.append(Change(path, "A"))
    return sorted(out, key=lambda c: c.path.split("/"))
