"""Layer tars.

A layer is a tar diff: the files a layer adds or changes, plus an OCI whiteout
(``.wh.<name>``) for each file it deletes. Its diffID is the sha256 of the uncompressed tar.
Tars written here are reproducible: entries sorted, owner and times normalised, so the same
files always give the same diffID (and a lesson gives the same figures every time).

What a read-write layer holds (``docker diff``) is read in ``changes.py``.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
from pathlib import Path

from .changes import Change, sorted_walk
from .whiteouts import OPAQUE, WHITEOUT, deleted_name, is_opaque, is_whiteout, make_whiteout, mark_opaque
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = ["GoTarInfo", "HashingWriter", "tar_copy", "tar_directory", "tar_upper", "unpack_layer"]

EPOCH = 0  # mtime recorded in reproducible tars


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


_TYPE_BITS = {tarfile.REGTYPE: stat.S_IFREG, tarfile.AREGTYPE: stat.S_IFREG, tarfile.DIRTYPE: stat.S_IFDIR,
              tarfile.SYMTYPE: stat.S_IFLNK, tarfile.CHRTYPE: stat.S_IFCHR, tarfile.BLKTYPE: stat.S_IFBLK,
              tarfile.FIFOTYPE: stat.S_IFIFO}


class GoTarInfo(tarfile.TarInfo):
    """A tar header as Go's archive/tar writes it, and so Docker's ``cp``: the mode field
    holds the file type too (``0o100644``), where Python's keeps only the permissions."""

    @staticmethod
    def _create_header(info, format, encoding, errors):  # noqa: A002 - tarfile's own names
        buf = tarfile.TarInfo._create_header(info, format, encoding, errors)
        mode = (info.get("mode", 0) & 0o7777) | _TYPE_BITS.get(info.get("type"), 0)
        header = bytearray(buf[-tarfile.BLOCKSIZE:])
        header[100:108] = tarfile.itn(mode, 8, format)
        header[148:156] = b" " * 8
        header[148:155] = b"%06o\0" % tarfile.calc_chksums(bytes(header))[0]
        return buf[:-tarfile.BLOCKSIZE] + bytes(header)


def tar_directory(src: Path, out: BinaryIO) -> tuple[str, int]:
    """Write ``src`` as a reproducible tar (owners normalised to root); return (diffID,
    unpacked size in bytes)."""
    writer = HashingWriter(out)
    size = 0
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[arg-type]
        for rel, st in sorted_walk(src):
            size += _add_entry(tar, rel, src / rel, st, keep_owner=False)
    return writer.digest, size


def _add_entry(tar: tarfile.TarFile, name: str, full: Path, st: os.stat_result, keep_owner: bool = True) -> int:
    """One file system entry into a reproducible tar; returns the bytes of content added.
    Sockets, fifos and devices are not layer content and are left out."""
    info = tarfile.TarInfo(name)
    info.mode = stat.S_IMODE(st.st_mode)
    info.mtime = EPOCH
    info.uid, info.gid = (st.st_uid, st.st_gid) if keep_owner else (0, 0)
    info.uname = info.gname = ""
    if stat.S_ISDIR(st.st_mode):
        info.type = tarfile.DIRTYPE
        tar.addfile(info)
    elif stat.S_ISLNK(st.st_mode):
        info.type = tarfile.SYMTYPE
        info.linkname = os.readlink(full)
        tar.addfile(info)
        return st.st_size  # Docker counts a link's own size (its target's length) in a layer
    elif stat.S_ISREG(st.st_mode):
        info.size = st.st_size
        with open(full, "rb") as f:
            tar.addfile(info, f)
        return st.st_size
    return 0


def _whiteout_entry(tar: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.mode = 0o600
    info.mtime = EPOCH
    tar.addfile(info)


def tar_upper(upper: Path, out: BinaryIO) -> tuple[str, int]:
    """The tar diff of an overlayfs upper directory: its files as they are, and an OCI
    whiteout (``.wh.<name>``, ``.wh..wh..opq``) for each overlayfs whiteout and opaque
    directory. Returns (diffID, bytes of content)."""
    writer = HashingWriter(out)
    size = 0
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[arg-type]
        for rel, st in sorted_walk(upper):
            full = upper / rel
            if is_whiteout(st):
                _whiteout_entry(tar, deleted_name(rel))
                continue
            size += _add_entry(tar, rel, full, st)
            if stat.S_ISDIR(st.st_mode) and is_opaque(full):
                _whiteout_entry(tar, f"{rel}/{OPAQUE}")
    return writer.digest, size


def tar_copy(rootfs: Path, changes: list[Change], out: BinaryIO, opaque: set[str] = frozenset()) -> tuple[str, int]:
    """The tar diff of a process-tier container: what ``changes`` lists, taken from its copy;
    an ``opaque`` directory (relative path) gets OCI's opaque marker, which stands for every
    deletion inside it."""
    from .process import within

    writer = HashingWriter(out)
    size = 0
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[arg-type]
        for change in sorted(changes, key=lambda c: c.path.split("/")):
            rel = change.path.lstrip("/")
            if change.kind == "D":
                if not within(rel, opaque):
                    _whiteout_entry(tar, deleted_name(rel))
            else:
                full = rootfs / rel
                size += _add_entry(tar, rel, full, os.lstat(full))
                if rel in opaque:
                    _whiteout_entry(tar, f"{rel}/{OPAQUE}")
    return writer.digest, size


def trusted() -> dict[str, str]:
    """Extraction without tarfile's own filter (the checks above are Docker's): Python 3.14
    filters by default, and Python before 3.11.4 (Debian 12's 3.11.2) knows no filters."""
    return {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}


def unpack_layer(tar_path: Path, dest: Path) -> None:
    """Unpack a tar diff as an overlayfs lower directory: OCI whiteouts become overlayfs
    whiteouts (a 0/0 character device) and opaque directories.

    The tar is untrusted and everything stays inside ``dest``, as Docker's archive package
    does it: ``../../tmp/x`` and ``/tmp/x`` land at ``tmp/x`` of the layer. A symlink is
    stored as it is (inside a container it resolves inside the container's root); a hard
    link that leads outside, or an entry written through a link that leads outside, is
    refused with ``ValueError`` (the caller throws the half-unpacked layer away)."""
    dest.mkdir(parents=True, exist_ok=True)
    root = os.path.realpath(dest)

    def inside(path: str) -> bool:
        return path == root or path.startswith(root + os.sep)

    with tarfile.open(tar_path, "r:") as tar:
        for member in tar:
            name = os.path.normpath("/" + member.name).lstrip("/")  # confined, as Docker does
            if not name or name == ".":
                continue
            target = os.path.join(root, name)
            if not inside(os.path.realpath(os.path.dirname(target))):
                raise ValueError(f"Error processing tar file: {member.name}: leads outside the layer (through a link)")
            base = os.path.basename(name)
            if base == OPAQUE:
                mark_opaque(os.path.dirname(target))
                continue
            if base.startswith(WHITEOUT):
                make_whiteout(os.path.join(os.path.dirname(target), base[len(WHITEOUT):]))
                continue
            if member.islnk():
                link = os.path.normpath(os.path.join(root, member.linkname.lstrip("/")))
                if not inside(link):
                    raise ValueError(f'Error processing tar file: invalid hardlink "{link}" -> "{member.linkname}"')
                member.linkname = os.path.relpath(link, root)
            member.name = name
            tar.extract(member, root, set_attrs=True, **trusted())
