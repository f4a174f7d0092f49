"""Deleted files and replaced directories, in the two forms a layer takes.

A layer records a deletion in one of two ways:

* **tar form** (a layer's ``layer.tar``, what ``save`` ships; OCI's image spec): a file
  ``.wh.<name>`` beside the deleted ``<name>``, and ``.wh..wh..opq`` inside a directory
  whose lower contents are all hidden (an *opaque* directory: removed and made again);
* **unpacked form** (a layer's ``diff/`` and a container's read-write layer, as overlayfs
  reads and writes them): a character device 0/0 named ``<name>``, and an extended
  attribute ``overlay.opaque=y`` on an opaque directory.

overlayfs keeps its attributes in the ``trusted.`` namespace, which only root outside any
user namespace may write. Mounted with ``userxattr`` (Linux 5.11+, as rootless Docker
mounts it) it uses ``user.overlay.*`` instead, which a user namespace may write: without
it, overlayfs in a user namespace cannot make a directory opaque, and ``rm -rf`` of a
lower layer's directory fails with EIO. Layers here carry the ``user.`` attribute always
(and the ``trusted.`` one where we may write it), so either mount reads them.

Every reader and writer of layers (``docker diff``, commit's tar diff, unpacking, export,
the process tier's copy) asks this module, so they agree.
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = [
    "OPAQUE",
    "OPAQUE_XATTRS",
    "WHITEOUT",
    "deleted_name",
    "is_opaque",
    "is_whiteout",
    "make_whiteout",
    "mark_opaque",
]

WHITEOUT = ".wh."  # tar form: ".wh.<name>" marks <name> deleted
OPAQUE = ".wh..wh..opq"  # tar form: this directory hides what lower layers hold in it
OPAQUE_XATTRS = ("user.overlay.opaque", "trusted.overlay.opaque")  # unpacked form


def is_whiteout(st: os.stat_result) -> bool:
    """An overlayfs whiteout: a character device 0/0."""
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == 0


def is_opaque(path: str | os.PathLike[str]) -> bool:
    """A directory overlayfs treats as opaque (either attribute namespace)."""
    for attr in OPAQUE_XATTRS:
        try:
            if os.getxattr(path, attr, follow_symlinks=False) == b"y":
                return True
        except OSError:
            continue
    return False


def mark_opaque(path: str | os.PathLike[str]) -> None:
    """Make a directory of an unpacked layer opaque for both kinds of overlay mount."""
    os.setxattr(path, "user.overlay.opaque", b"y", follow_symlinks=False)
    try:
        os.setxattr(path, "trusted.overlay.opaque", b"y", follow_symlinks=False)
    except OSError as e:  # not root of the initial user namespace: userxattr mounts only
        if e.errno not in (errno.EPERM, errno.EACCES, errno.ENOTSUP):
            raise


def make_whiteout(path: str | os.PathLike[str]) -> None:
    """Mark ``path`` deleted in an unpacked layer."""
    os.mknod(path, stat.S_IFCHR | 0o600, 0)


def deleted_name(rel: str) -> str:
    """The tar-form entry that deletes the path ``rel``."""
    parent, _, name = rel.rpartition("/")
    return f"{parent}/{WHITEOUT}{name}" if parent else f"{WHITEOUT}{name}"
