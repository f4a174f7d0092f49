"""``docker cp``: files into and out of a container, running or not, as Docker copies them.

The two halves of Docker's split, in one process: what the docker CLI does on the user's
side (stat the local path, tar it, choose where the tar unpacks: ``model.copyrules``), and
what the daemon does in the container (``sandbox.rootview``: stat, archive, extract).
A copy into a container lands in its read-write layer, as in Docker.
"""

from __future__ import annotations

import os
import tarfile

from .model.copyrules import CopyInfo, place, rebased, source_name, split_dir_entry
from .model.errors import DaemonError, DockerError
from .sandbox.rootview import NotADirectory, NotFound, View, extract_tar

__all__ = ["copy_from", "copy_to", "validate_output"]


def validate_output(path: str) -> None:
    """Docker's ``ValidateOutputPath``: a local destination's folder must exist, and the
    destination be a folder or a regular file (the CLI asks before the daemon)."""
    if path == "-":
        return
    folder = os.path.dirname(os.path.normpath(os.path.abspath(path)))
    if not os.path.exists(folder):
        raise DockerError(f'invalid output path: directory "{folder}" does not exist')
    if os.path.exists(path) and not (os.path.isdir(path) or os.path.isfile(path)):
        raise DockerError(f'invalid output path: "{path}" must be a directory or a regular file')


def _not_found(path: str, container: str) -> DaemonError:
    error = DaemonError(f"Could not find the file {path} in container {container}")
    error.status = 404
    return error


def _link_target(path: str, target: str) -> str:
    """A link's target as a path: relative targets start from the link's directory."""
    return target if target.startswith("/") else os.path.normpath(os.path.join(split_dir_entry(path)[0], target))


def _local_destination(path: str) -> CopyInfo:
    """Docker's ``CopyInfoDestinationPath``: a local destination, its links followed."""
    for _ in range(11):
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            parent = split_dir_entry(path)[0]
            try:
                if not os.path.isdir(parent) and os.path.exists(parent):
                    raise DockerError("not a directory")
                os.stat(parent)
            except FileNotFoundError:
                raise DockerError(f"stat {parent}: no such file or directory") from None
            return CopyInfo(path)
        if not os.path.islink(path):
            import stat as stats

            return CopyInfo(path, True, stats.S_ISDIR(st.st_mode))
        path = _link_target(path, os.readlink(path))
    raise DockerError(f"too many symlinks in {path}")


def _local_source(path: str, follow_link: bool) -> CopyInfo:
    """Docker's ``CopyInfoSourcePath``: the local source (links before its last component
    followed, that one too with ``-L``)."""
    absolute = os.path.abspath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if path.endswith("/."):
        absolute = os.path.abspath(path[:-2]) + "/."
    parent, base = split_dir_entry(absolute)
    resolved = os.path.join(os.path.realpath(parent), base) if base != "." else os.path.realpath(parent) + "/."
    rebase = ""
    if follow_link and os.path.islink(resolved.rstrip("/")):
        resolved, rebase = rebased(absolute, os.path.realpath(resolved.rstrip("/")))
    try:
        st = os.lstat(resolved.removesuffix("/."))
    except (FileNotFoundError, NotADirectoryError):
        raise DockerError(f"lstat {absolute.rstrip('/')}: no such file or directory") from None
    import stat as stats

    return CopyInfo(resolved, True, stats.S_ISDIR(st.st_mode), rebase)


def _pump(read_fd: int, write) -> int:
    """Copy everything from ``read_fd`` to ``write``; the bytes copied."""
    total = 0
    with os.fdopen(read_fd, "rb") as source:
        while chunk := source.read(1 << 16):
            write(chunk)
            total += len(chunk)
    return total


class _Counting:
    """A file wrapper that counts the bytes passing through (for "Successfully copied")."""

    def __init__(self, f) -> None:
        self.f = f
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.size += len(data)
        return data

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return self.f.write(data)

    def flush(self) -> None:
        self.f.flush()


def copy_from(view: View, container: str, path: str, destination: str, *, follow_link: bool, stdout) -> int:
    """``docker cp CONTAINER:PATH DEST`` (``-``: the tar to ``stdout``); the bytes copied."""
    path = path or "/"
    rebase = ""
    if follow_link:
        try:
            first = view.stat(path)
        except NotFound:
            first = None
        if first and first["is_link"]:
            path, rebase = rebased(path, _link_target(path, first["link_target"]))
    try:
        st = view.stat(path)
    except NotADirectory:
        raise DaemonError(f"lstat {view.merged.rstrip('/')}/{path.lstrip('/')}: not a directory") from None
    except NotFound:
        raise _not_found(path, container) from None
    copied = [0]
    if destination == "-":
        def consume(fd: int) -> None:
            copied[0] = _pump(fd, stdout.write)

        view.archive(path, split_dir_entry(path)[1], consume)
        return copied[0]
    source = CopyInfo(path, True, st["is_dir"], rebase)
    target = place(source, _local_destination(destination))

    def unpack(fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            counted = _Counting(stream)
            extract_tar(os.path.abspath(target.directory), target.rename, counted)
            copied[0] = counted.size

    try:
        view.archive(path, source_name(source), unpack)
    except NotFound:
        raise _not_found(path, container) from None
    except ValueError as e:
        raise DockerError(str(e)) from None
    return copied[0]


def copy_to(view: View, container: str, source: str, path: str, *, owner: tuple[int, int] | None,
            follow_link: bool, stdin) -> int:
    """``docker cp SRC CONTAINER:PATH`` (``-``: a tar from ``stdin``); the bytes copied.
    Files keep the owners the tar gives them (the local ones, as Docker 20.10 keeps them),
    or take ``owner`` (``cp -a`` into a container with a USER)."""
    path = path or "/"
    destination = CopyInfo(path)
    try:
        st = view.stat(path)
    except NotFound:
        st = None
    if st and st["is_link"]:
        destination = CopyInfo(_link_target(path, st["link_target"]))
        try:
            st = view.stat(destination.path)
        except NotFound:
            st = None
    if st:
        destination = destination._replace(exists=True, is_dir=st["is_dir"])
    copied = [0]
    if source == "-":
        if not destination.is_dir:
            raise DockerError(f'destination "{container}:{path}" must be a directory')
        directory, rename = destination.path, None

        def produce(fd: int) -> None:
            with os.fdopen(fd, "wb") as w:
                copied[0] = _pump(os.dup(stdin.fileno()), w.write)
    else:
        local = _local_source(source, follow_link)
        target = place(local, destination)
        directory, rename = target.directory, target.rename

        def produce(fd: int) -> None:
            with os.fdopen(fd, "wb") as w:
                counted = _Counting(w)
                with tarfile.open(fileobj=counted, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    tar.add(local.path.removesuffix("/.").rstrip("/") or "/", arcname=source_name(local))
                copied[0] = counted.size

    def feed(fd: int) -> None:
        try:
            produce(fd)
        except BrokenPipeError:
            pass  # the container's side stopped reading: its answer says why

    try:
        view.extract(directory, rename, owner, feed)
    except NotFound:
        raise _not_found(directory, container) from None
    except OSError as e:
        raise DaemonError(str(e)) from None
    return copied[0]
