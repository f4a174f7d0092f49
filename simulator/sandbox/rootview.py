"""A container's files as its processes see them, for ``docker cp``.

Docker's daemon mounts a container's root to copy into or out of it, running or not. Here:

* a running container on the namespace tier: its root is ``/proc/<pid 1>/root`` (writes
  go through its overlay mount, so the kernel copies up as for any write of the container);
* a container that is not running, on the namespace tier: a child process takes a user and
  a mount namespace of its own, mounts the overlay root as the shim would, and does the work
  there; the mount ends with the child;
* the process tier: the container's root is a plain directory.

Every path inside is resolved *in* the root (a symbolic link to ``/etc`` means the
container's ``/etc``, never the host's), and a tar unpacked into it stays inside.
Each operation runs in a forked child, so the three cases share one code path; the tar
crosses over a pipe, and a failure comes back as Docker's words.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tarfile

__all__ = ["NotADirectory", "NotFound", "View", "extract_tar", "resolve"]

_MAX_LINKS = 255


class NotFound(Exception):
    """The path (or the directory to unpack in) does not exist in the container."""


class NotADirectory(NotFound):
    """``file/``: a path that asks for a directory where a file is (lstat's ENOTDIR)."""


def resolve(root: str, path: str, follow_final: bool = False) -> str:
    """The host path of the container path ``path``, symbolic links followed inside ``root``
    (the last component too when ``follow_final``)."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    done: list[str] = []
    links = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            if done:
                done.pop()
            continue
        here = os.path.join(root, *done, part)
        if (parts or follow_final) and os.path.islink(here):
            links += 1
            if links > _MAX_LINKS:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)
            target = os.readlink(here)
            if target.startswith("/"):
                done = []
            parts = [p for p in target.split("/") if p not in ("", ".")] + parts
            continue
        done.append(part)
    return os.path.join(root, *done)


# ------------------------------------------------------------------ the operations (in the child)

def _stat(root: str, path: str, follow: bool = False) -> dict:
    """What ``docker cp`` asks of a container path first (Docker's ContainerStatPath)."""
    host = resolve(root, path, follow_final=follow or path.endswith(("/", "/.")))
    try:
        st = os.lstat(host)
    except (FileNotFoundError, NotADirectoryError):
        raise NotFound(path) from None
    if path.endswith(("/", "/.")) and not stat.S_ISDIR(st.st_mode):
        raise NotADirectory(path)
    info = {"name": os.path.basename(host), "size": st.st_size, "is_dir": stat.S_ISDIR(st.st_mode),
            "is_link": stat.S_ISLNK(st.st_mode), "link_target": ""}
    if info["is_link"]:
        info["link_target"] = os.readlink(host)
    return info


def _archive(root: str, path: str, name: str, out) -> dict:
    """Write a tar of ``path`` to ``out``, its top entry called ``name`` (Docker's
    GET /containers/{id}/archive)."""
    host = resolve(root, path, follow_final=path.endswith(("/", "/.")))
    if not os.path.lexists(host):
        raise NotFound(path)
    from .tarcodec import GoTarInfo

    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT, tarinfo=GoTarInfo) as tar:
        tar.add(host, arcname=name, recursive=True)
    return {}


def _renamed(name: str, rename: list[str] | None) -> str:
    """A tar entry's name (normalised) after its top entry takes its new name."""
    if not rename:
        return name
    old, new = rename
    if old == ".":  # the archive of a directory's contents: "." is the directory itself
        return new if name == "." else f"{new}/{name}"
    first, sep, rest = name.partition("/")
    return new + sep + rest if first == old else name


def _extract(root: str, directory: str, rename: list[str] | None, owner: list[int] | None, source,
             local: bool = False) -> dict:
    """Unpack the tar ``source`` in ``directory`` (Docker's PUT /containers/{id}/archive):
    its top entry renamed per ``rename``; owned as the tar says, or by ``owner`` (uid, gid);
    never a directory replaced by a file or a file by a directory.
    ``local``: the CLI's side of a copy out of a container: files are the user's."""
    directory = os.path.normpath("/" + directory)
    if not os.path.isdir(resolve(root, directory, follow_final=True)):
        raise NotFound(directory)

    def host_path(name: str) -> str:
        inside = os.path.normpath(os.path.join(directory, _renamed(os.path.normpath(name).lstrip("/") or ".", rename)))
        if inside == "/":
            return root
        return os.path.join(resolve(root, os.path.dirname(inside), follow_final=True), os.path.basename(inside))

    with tarfile.open(fileobj=source, mode="r|") as tar:
        for member in tar:
            host = host_path(member.name)
            existing = os.lstat(host) if os.path.lexists(host) else None
            if existing is not None and stat.S_ISDIR(existing.st_mode) != member.isdir():
                shown = "/" + os.path.relpath(host, root)
                kind = ("directory", "non-directory") if stat.S_ISDIR(existing.st_mode) else ("non-directory", "directory")
                raise ValueError(f'cannot overwrite {kind[0]} "{shown}" with {kind[1]} "{directory}"')
            if member.islnk():
                member.linkname = os.path.relpath(host_path(member.linkname), root)
            if local:
                member.uid, member.gid = os.getuid(), os.getgid()
            elif owner:
                member.uid, member.gid = owner
            member.uname = member.gname = ""
            member.name = os.path.relpath(host, root)
            if existing is not None and not member.isdir():
                os.unlink(host)
            tar.extract(member, root, set_attrs=True, numeric_owner=True, **_trusted())
    return {}


def extract_tar(directory: str, rename: tuple[str, str] | None, source) -> None:
    """The CLI's side of a copy out of a container: unpack in the local ``directory``."""
    _extract("/", directory, list(rename) if rename else None, None, source, local=True)


def _trusted() -> dict[str, str]:
    from .tarcodec import trusted

    return trusted()


# ------------------------------------------------------------------ the view


class View:
    """Where a container's files are reached: ``root`` (a host path) or, for a container
    that is not running on the namespace tier, ``mounts`` to mount at ``mountpoint`` first."""

    def __init__(self, root: str, mounts: list | None = None, merged: str = "") -> None:
        self.root = root
        self.mounts = mounts
        self.merged = merged or root  # the root as ``inspect`` names it (GraphDriver's MergedDir)

    def _call(self, function, *args, child_fd: int | None = None, child_writes: bool = False,
              parent_side=None) -> dict:
        """Run ``function(root, *args[, stream])`` in a child, ``child_fd`` its tar stream
        (written to when ``child_writes``), while ``parent_side()`` feeds or drains the other
        end here; the child's answer, or its failure raised again here (before any failure
        of ``parent_side``, which is often only its consequence)."""
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(result_r)
                if self.mounts is not None:
                    from .shim import enter_namespaces, mount_root

                    userns = enter_namespaces()
                    mount_root(self.mounts, self.root, in_user_namespace=not userns.startswith("none"))
                stream = None if child_fd is None else os.fdopen(child_fd, "wb" if child_writes else "rb")
                answer = function(self.root, *args, *(() if stream is None else (stream,)))
                if stream is not None:
                    stream.close()
                reply = {"ok": answer}
            except NotFound as e:
                reply = {"not_a_directory" if isinstance(e, NotADirectory) else "not_found": str(e)}
            except BaseException as e:  # noqa: BLE001 - the child never returns into the caller
                reply = {"error": str(e) if isinstance(e, (OSError, ValueError, tarfile.TarError)) else repr(e)}
            try:
                os.write(result_w, json.dumps(reply).encode())
            finally:
                os._exit(0)
        os.close(result_w)
        if child_fd is not None:
            os.close(child_fd)
        failure: BaseException | None = None
        try:
            if parent_side is not None:
                parent_side()
        except BaseException as e:  # noqa: BLE001 - raised below, unless the child says more
            failure = e
        answer = b""
        while chunk := os.read(result_r, 65536):
            answer += chunk
        os.close(result_r)
        os.waitpid(pid, 0)
        reply = json.loads(answer or b'{"error": "the copy ended without an answer"}')
        if "not_found" in reply:
            raise NotFound(reply["not_found"])
        if "not_a_directory" in reply:
            raise NotADirectory(reply["not_a_directory"])
        if "error" in reply:
            raise OSError(reply["error"])
        if failure is not None:
            raise failure
        return reply["ok"]

    def stat(self, path: str, follow: bool = False) -> dict:
        return self._call(_stat, path, follow)

    def archive(self, path: str, name: str, consume) -> None:
        """The tar of ``path`` (top entry ``name``): ``consume(fd)`` reads it (and closes fd)."""
        read_fd, write_fd = os.pipe()
        self._call(_archive, path, name, child_fd=write_fd, child_writes=True, parent_side=lambda: consume(read_fd))

    def extract(self, directory: str, rename: tuple[str, str] | None, owner: tuple[int, int] | None,
                produce) -> None:
        """Unpack in ``directory`` the tar that ``produce(fd)`` writes (and closes fd)."""
        read_fd, write_fd = os.pipe()
        self._call(_extract, directory, list(rename) if rename else None, list(owner) if owner else None,
                   child_fd=read_fd,
                   parent_side=lambda: produce(write_fd))
