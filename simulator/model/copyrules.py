"""How ``docker cp`` decides where a copy lands: the docker CLI's rules, pure.

The CLI and the daemon exchange a tar of the source (its top entry named after the source's
base name) and a directory to unpack it in. Which directory, and whether the top entry is
renamed, follows from the source and what the destination is (Docker's ``archive.CopyInfo``
and ``PrepareArchiveCopy``):

=========================  ===============================  ==============================
destination                source is a file                 source is a directory
=========================  ===============================  ==============================
an existing directory      into it, same name               into it, same name (``src/.``:
                                                            its contents)
an existing file           replaces it                      "cannot copy directory"
missing, ends in ``/``     "no such directory"              created, with the contents
missing                    created with the new name        created, with the contents
=========================  ===============================  ==============================
"""

from __future__ import annotations

import posixpath
from collections import namedtuple

from .errors import DockerError

__all__ = ["CopyInfo", "Placement", "asserts_directory", "parse_cp_arg", "place", "rebased", "source_name", "split_dir_entry"]


class CopyInfo(namedtuple("CopyInfo", ["path", "exists", "is_dir", "rebase_name"], defaults=[False, False, ""])):
    """A side of a copy: its path as the user typed it, whether it exists and is a directory;
    ``rebase_name``: the name a followed symbolic link's target takes (``cp -L``)."""

    __slots__ = ()


class Placement(namedtuple("Placement", ["directory", "rename"])):
    """Unpack the source's tar in ``directory``; ``rename``: (old, new) top entry name, or None."""

    __slots__ = ()


def parse_cp_arg(arg: str) -> tuple[str, str]:
    """(container, path) of a ``docker cp`` argument; container "" for a local path.

    As the CLI reads it: a path that starts with ``/`` or ``.`` is local even with a colon
    in it; otherwise the part before the first colon names a container."""
    if arg.startswith(("/", ".")):
        return "", arg
    container, colon, path = arg.partition(":")
    if not colon:
        return "", arg
    return container, path


def asserts_directory(path: str) -> bool:
    """A path that ends in ``/`` or ``/.`` says its target must be a directory."""
    return path.endswith("/") or path.endswith("/.") or path == "."


def split_dir_entry(path: str) -> tuple[str, str]:
    """(directory, base) of a path, keeping a final ``.`` as the base (``/a/b/.`` -> ``/a/b``, ``.``)."""
    cleaned = posixpath.normpath(path) if path else "."
    if path.endswith("/.") or path == ".":
        return cleaned, "."
    directory, base = posixpath.split(cleaned)
    return directory or ".", base


def source_name(src: CopyInfo) -> str:
    """The top entry's name in the source's tar: its base name (``.`` for ``dir/.``), or
    the name of the link ``cp -L`` followed."""
    return src.rebase_name or split_dir_entry(src.path)[1]


def place(src: CopyInfo, dst: CopyInfo) -> Placement:
    """Where the source's tar (top entry ``source_name(src)``) unpacks for ``dst``, or
    Docker's refusal."""
    if dst.exists and dst.is_dir:
        return Placement(dst.path, None)
    if dst.exists and src.is_dir:
        raise DockerError("cannot copy directory")
    if not dst.exists and not src.is_dir and asserts_directory(dst.path):
        raise DockerError("no such directory")
    dst_dir, dst_base = split_dir_entry(dst.path)
    return Placement(dst_dir, (source_name(src), dst_base))


def rebased(path: str, resolved: str) -> tuple[str, str]:
    """Docker's ``GetRebaseName``: the followed path keeps what the typed one asserted
    (a final ``/`` or ``/.``), and a changed base name is remembered to be given back."""
    if (path.endswith("/.") or path == ".") and not resolved.endswith("/."):
        resolved += "/."
    if path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    name = split_dir_entry(path)[1]
    return resolved, name if name != split_dir_entry(resolved)[1] else ""
