"""What an ``OSError`` met in the data root means to a learner, in Docker's words or ours.

The store does not probe its root up front (``dockersim ps`` must stay a few file reads):
it lets the operating system refuse, and the engine and the front ends hand the refusal
here, only then. Two kinds are told apart from an ordinary failure:

- the root cannot be used at all (it cannot be made, lies under ``/proc`` or through a
  file, is read-only or another user's): ``DataRootError``, one line with the OS's words;
- the disk is full: Docker's ``no space left on device``, worded as the step that ran out.
"""

from __future__ import annotations

import errno
import os

from ..model.errors import DockerError, layer_no_space, no_space, pull_no_space, unusable_root

__all__ = ["explain", "layer_error", "unusable"]

# Errors that say "this folder is not yours to write", wherever under the root they occur.
REFUSED = frozenset((errno.EACCES, errno.EPERM, errno.EROFS))
# Errors that say "this path is no folder": only about the root or a folder above it.
NO_FOLDER = frozenset((errno.ENOENT, errno.ENOTDIR, errno.EEXIST, errno.ELOOP, errno.ENAMETOOLONG))


def unusable(err: OSError, root: str) -> DockerError:
    """The root ``root`` cannot be made or opened: ``err`` as one line. A root that is an
    existing file is "Not a directory", as the OS says when it is used as one."""
    code = errno.ENOTDIR if err.errno == errno.EEXIST else err.errno
    reason = os.strerror(code) if code else str(err)
    return unusable_root(root, reason, os.fspath(err.filename) if err.filename else root)


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _content(path: str, root: str) -> bool:
    """Whether ``path`` is a file of a container's or a layer's own (``chmod 000`` inside a
    container is the learner's doing, not the data root's)."""
    parts = path[len(root):].strip("/").split("/")
    return len(parts) > 3 and (parts[0], parts[2]) in (("containers", "rootfs"), ("containers", "upper"),
                                                       ("layers", "diff"))


def explain(err: OSError, root: str) -> DockerError | None:
    """The learner's error for ``err``, met while working in the data root ``root``; None
    when it says nothing about the root (a bug, a vanished container: let it be seen)."""
    if err.errno == errno.ENOSPC:
        return no_space(_written(err) or root)
    if not err.filename:
        return None
    path = os.fspath(err.filename)
    if err.errno in REFUSED and _within(path, root) and not _content(path, root):
        return unusable(err, root)
    if err.errno in NO_FOLDER and _within(root, path):  # the root itself, or above it
        return unusable(err, root)
    return None


def layer_error(err: OSError, staged: str, *, pull: bool = False) -> DockerError | None:
    """``err`` met while a layer was made in ``staged`` (``layer.tar`` and ``diff/``): on a
    full disk, Docker's words for the file of the layer that did not fit; else None."""
    if err.errno != errno.ENOSPC:
        return None
    path = _layer_path(err, staged)
    if path is None:
        return no_space(_written(err) or staged)
    return pull_no_space(path) if pull else layer_no_space(path)


def _written(err: OSError) -> str:
    """The file a failed write was writing: a copy's destination (shutil names the
    source first), else the one file named; "" for a write to a file object."""
    name = err.filename2 or err.filename
    return os.fspath(name) if name else ""


def _layer_path(err: OSError, staged: str) -> str | None:
    """Which file of the layer was being written: the one unpacking failed on, else the
    last entry that made it into the half-written ``layer.tar`` (a write to a file object
    names no file)."""
    diff = os.path.join(staged, "diff")
    for name in (err.filename, err.filename2):  # shutil's copies name the source first
        if name and _within(os.fspath(name), diff):
            return "/" + os.path.relpath(os.fspath(name), diff).removeprefix(".")
    import tarfile

    last = None
    try:
        with tarfile.open(os.path.join(staged, "layer.tar"), "r|") as tar:
            for member in tar:
                last = member.name
    except (OSError, tarfile.TarError, EOFError):  # the tar ends half-way: that is the point
        pass
    return "/" + last.lstrip("/") if last else None
