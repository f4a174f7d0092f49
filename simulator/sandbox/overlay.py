"""The overlayfs snapshotter: a container's root is its read-only layers plus one writable dir.

``prepare`` only lays out directories and says how to mount them; the mount itself happens
in the shim's private mount namespace, so it lives exactly as long as the container runs.
Everything the container writes lands in ``upper/``: that directory *is* the read-write
layer, and ``docker diff`` is a walk over it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .interfaces import Mount

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .changes import Change

__all__ = ["OverlaySnapshotter", "write_init_layer"]


def write_init_layer(init: Path) -> None:
    """The init layer Docker puts between an image and a container: mount points and the
    files it bind-mounts over (hosts, hostname, resolv.conf). ``docker diff`` never shows it."""
    for d in ("dev/pts", "dev/shm", "proc", "sys", "etc"):
        (init / d).mkdir(parents=True, exist_ok=True)
    for f in (".dockerenv", "etc/hostname", "etc/hosts", "etc/resolv.conf", "dev/console"):
        (init / f).touch()
    os.symlink("/proc/mounts", init / "etc" / "mtab")


class OverlaySnapshotter:
    name = "overlayfs"

    def __init__(self, containers_root: Path) -> None:
        self.root = containers_root

    def upper(self, key: str) -> Path:
        return self.root / key / "upper"

    def prepare(self, key: str, parents: list[Path]) -> list[Mount]:
        """Lay out ``upper``, ``work``, ``init`` and ``rootfs`` under the container's dir."""
        bundle = self.root / key
        for d in ("upper", "work", "rootfs"):
            (bundle / d).mkdir(parents=True, exist_ok=True)
        if not (bundle / "init").exists():
            write_init_layer(bundle / "init")
        return self.mounts(key, parents)

    def mounts(self, key: str, parents: list[Path]) -> list[Mount]:
        bundle = self.root / key
        lowers = [bundle / "init", *reversed(parents)]  # overlayfs lists the top layer first
        options = (
            "lowerdir=" + ":".join(str(p) for p in lowers),
            f"upperdir={bundle / 'upper'}",
            f"workdir={bundle / 'work'}",
        )
        return [Mount("overlay", "overlay", options)]

    def changes(self, key: str, parents: list[Path]) -> list[Change]:
        bundle = self.root / key
        from .changes import changes

        return changes(bundle / "upper", [bundle / "init", *parents])
