"""The process tier: containers for machines without namespaces (a JupyterHub pod, no root).

What it keeps: the read-write layer (a copy of the image's union view in the container's
directory, compared with the layers for ``docker diff``), real processes in a session of
their own, real signals, pause by SIGSTOP/SIGCONT, the shim, the logs, the lifecycle.

Its root comes in one of two forms, and ``info``, ``inspect`` and the figures say which:

* **with PRoot** (where ptrace is allowed, see proot.py): ``/`` is the container's copy of
  its root, with the working directory, environment and user of the container, so
  ``echo x > /new.txt`` is ``A /new.txt`` in ``docker diff`` as with Docker;
* **without PRoot** (not installed, or ptrace refused): the command runs with its working
  directory inside the container's root and the image's programs first on its PATH, but an
  absolute path such as ``/tmp/x`` is the host's. Where the kernel has Landlock, writes
  outside the container's root are refused (``sh: can't create /tmp/x: Permission
  denied``), so a container cannot change the host's files; reading them it still can.

In both forms:

* the command is not PID 1: a SIGTERM ends a process that has no handler at once (exit
  143) instead of being ignored until the SIGKILL of the grace period (137);
* no hostname, no ipc or pid namespace: ``ps`` inside shows the host's processes.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from .interfaces import Mount
from .runtime import BaseRuntime
from .changes import Change
from .whiteouts import is_opaque, is_whiteout

__all__ = ["LIMITS", "limits", "root_form", "CopySnapshotter", "ProcessRuntime", "container_env", "container_pids",
           "end_all", "union_copy"]

LIMITS = "process tier: no namespaces; the command is not PID 1 (SIGTERM without a handler ends it: 143)"


def root_form(remember_in: str | None = None) -> str:
    """Which root the process tier gives a container here, and why, in a few words."""
    from .proot import problem

    why = problem(remember_in)
    if not why:
        return "PRoot (ptrace): / is the container's root"
    return f"no PRoot ({why}): absolute paths are the host's"


def limits(remember_in: str | None = None) -> str:
    """LIMITS, the root's form, and whether writes outside the container are refused here."""
    from .landlock import abi_version
    from .proot import problem

    guard = ("writes outside the container's directory are refused (Landlock)" if abi_version()
             else "writes outside the container's directory are NOT prevented (no Landlock)")
    if not problem(remember_in):
        guard = ("writes outside the container's directory are also refused (Landlock)" if abi_version()
                 else "no Landlock behind PRoot")
    return f"{LIMITS}; root: {root_form(remember_in)}; {guard}"


MARKER = "DOCKERSIM_CONTAINER"  # in every container process's environment: how pids() finds them


def _walk(root: Path) -> dict[str, os.stat_result]:
    out: dict[str, os.stat_result] = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            entries = list(os.scandir(root / rel if rel else root))
        except FileNotFoundError:
            continue
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            st = entry.stat(follow_symlinks=False)
            out[child] = st
            if stat.S_ISDIR(st.st_mode):
                stack.append(child)
    return out


def union_copy(parents: list[Path], dest: Path) -> None:
    """Copy the union view of ``parents`` (bottom first) into ``dest``, whiteouts applied."""
    dest.mkdir(parents=True, exist_ok=True)
    for layer in parents:
        for rel, st in sorted(_walk(layer).items()):
            name = os.path.basename(rel)
            target = dest / rel
            if name.startswith(".wh."):  # an OCI whiteout (tar form)
                if name == ".wh..wh..opq":
                    for child in list(target.parent.iterdir()):
                        _remove(child)
                else:
                    _remove(target.parent / name[4:])
                continue
            if is_whiteout(st):  # unpacked form
                _remove(target)
                continue
            if stat.S_ISDIR(st.st_mode):
                if target.exists() and not target.is_dir() or is_opaque(layer / rel):
                    _remove(target)  # an opaque directory hides what the layers below hold
                target.mkdir(exist_ok=True)
                shutil.copystat(layer / rel, target, follow_symlinks=False)
            else:
                if os.path.lexists(target):
                    _remove(target)
                if stat.S_ISLNK(st.st_mode):
                    os.symlink(os.readlink(layer / rel), target)
                    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
                elif stat.S_ISREG(st.st_mode):
                    shutil.copy2(layer / rel, target, follow_symlinks=False)
    # directory times last: copying into a directory changed them
    for layer in parents:
        for rel, st in _walk(layer).items():
            if stat.S_ISDIR(st.st_mode) and (dest / rel).is_dir():
                os.utime(dest / rel, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _differs(old: os.stat_result, new: os.stat_result) -> bool:
    """Docker's ChangesDirs rule: mode or owner changed, or, for non-directories, size or mtime."""
    if (old.st_mode, old.st_uid, old.st_gid) != (new.st_mode, new.st_uid, new.st_gid):
        return True
    if stat.S_ISDIR(new.st_mode):
        return False
    return old.st_size != new.st_size or old.st_mtime_ns != new.st_mtime_ns


class CopySnapshotter:
    """A container's root is a copy of its image's union view; ``changes`` compares them."""

    name = "copy"

    def __init__(self, containers_root: Path) -> None:
        self.root = containers_root

    def upper(self, key: str) -> Path:
        return self.root / key / "rootfs"

    def prepare(self, key: str, parents: list[Path]) -> list[Mount]:
        rootfs = self.upper(key)
        if not rootfs.exists():
            staging = rootfs.with_name("rootfs.tmp")
            shutil.rmtree(staging, ignore_errors=True)
            union_copy(parents, staging)
            _remember_directories(staging, rootfs.with_name(_DIRECTORIES))
            os.replace(staging, rootfs)
        return self.mounts(key, parents)

    def mounts(self, key: str, parents: list[Path]) -> list[Mount]:
        return []  # nothing to mount: the directory is the root

    def changes(self, key: str, parents: list[Path]) -> list[Change]:
        return self.diff(key, parents)[0]

    def diff(self, key: str, parents: list[Path]) -> tuple[list[Change], set[str]]:
        """(what ``docker diff`` lists, the directories the layer makes opaque): a directory
        that is not the one the copy was made with (removed and made again: another inode),
        or one where the image has a file, hides what the image holds in it, as an
        overlayfs opaque directory does; everything in it belongs to the layer."""
        rootfs = self.upper(key)
        new = _walk(rootfs)
        made_with = _remembered_directories(rootfs.with_name(_DIRECTORIES))
        if made_with is None and _made_again(rootfs, os.lstat(rootfs), None):  # made before copies were marked
            made_with = {rel: st.st_ino for rel, st in new.items()}
        old: dict[str, os.stat_result] = {}
        for layer in parents:
            for rel, st in _walk(layer).items():
                name = os.path.basename(rel)
                if name.startswith(".wh."):
                    old.pop(os.path.join(os.path.dirname(rel), name[4:]), None)
                elif is_whiteout(st):
                    old.pop(rel, None)
                else:
                    if stat.S_ISDIR(st.st_mode) and is_opaque(layer / rel):
                        for hidden in [p for p in old if p.startswith(rel + "/")]:
                            del old[hidden]
                    old[rel] = st
        opaque = {rel for rel, st in new.items() if stat.S_ISDIR(st.st_mode) and rel in old and (
            not stat.S_ISDIR(old[rel].st_mode) or _made_again(rootfs / rel, st, made_with.get(rel, -1) if made_with else None))}
        kinds: dict[str, str] = {}
        for rel, st in new.items():
            if rel not in old:
                kinds[rel] = "A"
            elif (_differs(old[rel], st) or (stat.S_ISDIR(st.st_mode) != stat.S_ISDIR(old[rel].st_mode))
                  or rel in opaque or within(rel, opaque)):
                kinds[rel] = "C"
        for rel in old:  # only the topmost of a deleted tree is listed, as Docker does
            parent = os.path.dirname(rel)
            if rel not in new and (not parent or (parent in new and stat.S_ISDIR(new[parent].st_mode))):
                kinds[rel] = "D"
        for rel in list(kinds):  # a directory holding a change is itself changed
            parent = os.path.dirname(rel)
            while parent:
                if parent not in kinds and parent in old:
                    kinds[parent] = "C"
                parent = os.path.dirname(parent)
        return sorted(Change("/" + rel, kind) for rel, kind in kinds.items()), opaque


def within(rel: str, folders: set[str]) -> bool:
    """Whether ``rel`` lies inside one of ``folders`` (relative paths)."""
    parent = os.path.dirname(rel)
    while parent:
        if parent in folders:
            return True
        parent = os.path.dirname(parent)
    return False


_DIRECTORIES = "copy-directories"  # beside rootfs/, where directories take no mark: each one's inode
_MARK = "user.dockersim.copied"  # on each directory the copy was made with


def _remember_directories(rootfs: Path, record: Path) -> None:
    """Mark the directories the copy was made with, to tell later one removed and made
    again (an opaque directory in overlayfs' terms) from one only changed. A file system
    without user attributes gets a list of inodes instead (an inode may be reused, so
    that is the weaker way)."""
    directories = [("", os.lstat(rootfs)), *((rel, st) for rel, st in _walk(rootfs).items() if stat.S_ISDIR(st.st_mode))]
    try:
        for rel, _ in directories:
            os.setxattr(rootfs / rel, _MARK, b"1", follow_symlinks=False)
    except OSError:
        record.write_text("\n".join(f"{st.st_ino} {rel}" for rel, st in directories))


def _remembered_directories(record: Path) -> dict[str, int] | None:
    try:
        text = record.read_text()
    except FileNotFoundError:
        return None  # the directories carry their mark
    return {rel: int(ino) for ino, _, rel in (line.partition(" ") for line in text.splitlines())}


def _made_again(path: Path, st: os.stat_result, inode: int | None) -> bool:
    """Whether a directory of the copy is not the one the copy was made with."""
    if inode is not None:
        return inode != st.st_ino
    try:
        return os.getxattr(path, _MARK, follow_symlinks=False) != b"1"
    except OSError:
        return True


def container_env(env: list[str], rootfs: str, container_id: str) -> list[str]:
    """The process tier's environment: the marker, and without PRoot (``rootfs`` given) the
    image's programs first on PATH."""
    out = []
    for item in env:
        if item.startswith("PATH=") and rootfs:
            dirs = item[5:].split(":")
            item = "PATH=" + ":".join([*(rootfs + d for d in dirs), *dirs])
        out.append(item)
    out.append(f"{MARKER}={container_id}")
    return out


class ProcessRuntime(BaseRuntime):
    name = "process"

    def __init__(self, remember_in: str | None = None) -> None:
        self.remember_in = remember_in  # where the PRoot probe's answer is kept

    @property
    def proot(self) -> bool:
        """Whether containers run under PRoot here (probed once, see proot.py)."""
        from .proot import problem

        return not problem(self.remember_in)

    def start(self, spec) -> int:
        from .namespaces import start_shim

        rootfs = "" if self.proot else str(spec.bundle / "rootfs")
        return start_shim(spec._replace(env=container_env(spec.env, rootfs, spec.container_id), proot=not rootfs),
                          tier="process")

    def pids(self, pid: int) -> list[int]:
        """The container's processes: those carrying its marker in their environment, but
        not the PRoot tracers that run them."""
        from .proot import is_proot

        return [p for p in self._marked(pid) if not is_proot(p)]

    def _marked(self, pid: int) -> list[int]:
        try:
            marker = next(e for e in _environ(pid) if e.startswith(MARKER.encode() + b"="))
        except (StopIteration, OSError):
            return []
        return container_pids(marker.split(b"=", 1)[1].decode())

    def pause(self, container_id: str, pid: int) -> None:
        """Freeze the tracers too: a tracee stopped alone would be restarted by its PRoot."""
        from .freezer import freezer_for

        freezer_for(container_id).freeze(container_pids(container_id))

    def resume(self, container_id: str, pid: int) -> None:
        from .freezer import freezer_for

        freezer_for(container_id).thaw(container_pids(container_id))

    def exec(self, container_id: str, pid: int, argv: list[str], env: list[str], cwd: str,
             stdin: int, stdout: int, stderr: int, rootfs: Path | None = None, user: str = "",
             detach: bool = False) -> int:
        from .freezer import freezer_for
        from .launch import exec_command, wait_exec

        root = str(rootfs)
        proot = self.proot
        err_r, err_w = os.pipe2(os.O_CLOEXEC)
        child = os.fork()
        if child == 0:
            try:
                os.close(err_r)
                if detach:  # the command goes on in a grandchild the host's init reaps
                    grandchild = os.fork()
                    if grandchild:
                        if proot:  # returning once it runs: once PRoot has made it the command
                            from .proot import tracee

                            os.close(err_w)
                            tracee(grandchild)
                        os._exit(0)
                try:
                    freezer_for(container_id).join()  # so `pause` freezes it too
                except OSError:
                    pass
                for target, fd in enumerate((stdin, stdout, stderr)):
                    os.dup2(fd, target)
                exec_command(argv, container_env(env, "" if proot else root, container_id), cwd, err_w,
                             root=root, user=user, proot_bundle=str(rootfs.parent) if proot else "")
            finally:
                os._exit(126)
        os.close(err_w)
        if proot and not detach:
            return _wait_traced(err_r, child)
        return wait_exec(err_r, child)


def _wait_traced(err_r: int, child: int) -> int:
    """``wait_exec`` for a command run by PRoot (``child``): done when the command ends, as
    ``docker exec`` is, even if PRoot stays on for what it left running in the background.
    The exit code is the command's own where the kernel keeps it for us, else PRoot's, once
    PRoot ends (see proot.py). A command that ends within moments, before we could see it,
    and leaves processes running, reports 0: PRoot would say how it ended only when they end."""
    import select

    from .launch import exit_code
    from .proot import command_status, tracee

    failure = b""
    while chunk := os.read(err_r, 65536):
        failure += chunk
    os.close(err_r)
    if failure:  # the command could not start: Docker's exec failure, as wait_exec says it
        from .launch import start_failure

        os.waitpid(child, 0)
        raise start_failure(failure)
    own = None
    traced = tracee(child)
    if traced:
        try:
            pidfd = os.pidfd_open(traced)
        except OSError:
            pidfd = -1
        if pidfd >= 0:
            try:
                select.select([pidfd], [], [])
                own = command_status(pidfd)
            finally:
                os.close(pidfd)
    if own is None and not traced:
        # the command ended before we saw it: PRoot's status says how, if PRoot ends soon;
        # if it stays (for what the command left running), the code is not known: 0
        from .namespaces import wait_for_exit

        if not wait_for_exit(child, 2.0):
            own = 0
    if own is not None:
        done, status = os.waitpid(child, os.WNOHANG)
        if not done:  # PRoot stays for the command's background processes: reap it later
            import threading

            threading.Thread(target=os.waitpid, args=(child, 0), daemon=True).start()
        return exit_code(own)
    _, status = os.waitpid(child, 0)
    return exit_code(status)


def container_pids(container_id: str) -> list[int]:
    """Every process carrying ``container_id``'s marker (main process, children, execs)."""
    marker = f"{MARKER}={container_id}".encode()
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if marker in _environ(int(entry)):
                    out.append(int(entry))
            except OSError:
                continue
    return sorted(out)


def end_all(container_id: str) -> None:
    """SIGKILL what is left of a container whose main process ended: a pid namespace would
    have taken them with it, and the process tier must not leave them behind. PRoot
    tracers are spared: each ends by itself once its tracees are gone, with the status
    its main tracee left, and cleans up its files in /tmp."""
    import signal

    from .proot import is_proot

    for pid in container_pids(container_id):
        if is_proot(pid):
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _environ(pid: int) -> list[bytes]:
    with open(f"/proc/{pid}/environ", "rb") as f:
        return f.read().split(b"\0")
