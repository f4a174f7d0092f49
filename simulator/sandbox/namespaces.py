"""The namespace runtime: containers as real Linux namespaces, one shim each.

``start`` launches a shim (see shim.py) and waits only until PID 1 has exec'd its command;
``kill``/``pause``/``resume`` act on the real processes; ``exec`` joins the container's
namespaces and cgroup and runs one more process there, as ``runc exec`` does.
"""

from __future__ import annotations

import json
import os
import select
import sys
from pathlib import Path

from ..model.errors import ExecFailed, ExecRefused
from . import linux
from .freezer import freezer_for
from .interfaces import TaskSpec
from .runtime import BaseRuntime

__all__ = ["NamespaceRuntime", "start_shim", "wait_for_exit"]

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
# The shim forks once more and the first process exits: the shim is nobody's child, so it
# outlives us and never lingers as a zombie of a long-lived caller (a notebook kernel).
_SHIM_BOOT = (
    "import os, sys; os.fork() and os._exit(0); sys.path.insert(0, {path!r}); "
    "from simulator.sandbox.shim import main; main(sys.argv[1:])"
)
_NAMESPACES = (("user", linux.CLONE_NEWUSER), ("mnt", linux.CLONE_NEWNS), ("pid", linux.CLONE_NEWPID),
               ("uts", linux.CLONE_NEWUTS), ("ipc", linux.CLONE_NEWIPC), ("net", linux.CLONE_NEWNET))


def wait_for_exit(pid: int, timeout: float | None) -> bool:
    """Block until process ``pid`` ends (or ``timeout`` passes); True if it ended.

    A pidfd turns a process's end into an event we can wait on: no polling.
    """
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        return bool(ready)
    finally:
        os.close(fd)


def _fork_shim(bundle: Path, ready_w: int) -> None:
    """Become the shim in a forked child (no new interpreter to start: the quick way).

    The child forks once more and exits, so the shim is nobody's child; it keeps only the
    ready pipe and a log as stderr, like the exec'd shim.
    """
    child = os.fork()
    if child == 0:
        try:
            os.setsid()
            if os.fork():
                os._exit(0)
            os.chdir("/")
            devnull = os.open(os.devnull, os.O_RDWR)
            log = os.open(bundle / "shim.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            for target, fd in ((0, devnull), (1, devnull), (2, log)):
                os.dup2(fd, target)
            os.closerange(3, ready_w)  # the caller's locks and files are not the shim's
            os.closerange(ready_w + 1, os.sysconf("SC_OPEN_MAX"))
            from .shim import main

            main([str(bundle), str(ready_w)])
        except BaseException:  # noqa: BLE001 - a shim never returns into the caller's code
            import traceback

            traceback.print_exc()
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def start_shim(spec: TaskSpec, tier: str) -> int:
    """Launch a shim for ``spec`` and wait until the command has exec'd (or failed to)."""
    bundle = spec.bundle
    (bundle / "task.json").write_text(json.dumps({
        "container_id": spec.container_id,
        "tier": tier,
        "argv": spec.argv,
        "env": spec.env,
        "cwd": spec.cwd,
        "hostname": spec.hostname,
        "tty": spec.tty,
        "open_stdin": spec.open_stdin,
        "auto_remove": spec.auto_remove,
        "attached": spec.attached,
        "attacher": spec.attacher,
        "user": spec.user,
        "network": spec.network,
        "proot": spec.proot,
        "mounts": [{"type": m.type, "source": m.source, "options": list(m.options)} for m in spec.mounts],
    }))
    ready_r, ready_w = os.pipe()
    if len(os.listdir("/proc/self/task")) == 1:  # any thread, even one not made by threading
        # Imported here, before the fork: a one-shot CLI pays the same either way, and a
        # long-lived caller (a notebook, the shell) pays once instead of in every shim.
        from . import shim  # noqa: F401

        _fork_shim(bundle, ready_w)
    else:  # forking a threaded process (a notebook kernel) is unsafe: a fresh interpreter
        with open(bundle / "shim.log", "ab") as log:
            import subprocess  # here: a single-threaded caller (the CLI) forks instead

            subprocess.Popen(
                [sys.executable, "-S", "-c", _SHIM_BOOT.format(path=_PACKAGE_PARENT), str(bundle), str(ready_w)],
                pass_fds=(ready_w,),
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd="/",
                close_fds=True,
            ).wait()
    os.close(ready_w)
    answer = b""
    while chunk := os.read(ready_r, 65536):
        answer += chunk
    os.close(ready_r)
    text = answer.decode()
    if text.startswith("ok "):
        return int(text.split()[1])
    if text.startswith("err "):
        _, shim_pid, detail = text.split(" ", 2)
        wait_for_exit(int(shim_pid), 5)  # it has cleaned up and is leaving: let it be gone
        failure = json.loads(detail)
        if failure.get("by") == "daemon":  # Docker records 128 for what its daemon refused
            raise ExecRefused(failure["message"], exit_code=128)
        raise ExecFailed(failure["message"], exit_code=failure["code"])
    tail = (bundle / "shim.log").read_text(errors="replace")[-2000:]
    raise ExecFailed(f"the shim died before the container started: {tail.strip()}", exit_code=125)


class NamespaceRuntime(BaseRuntime):
    name = "namespace"

    def start(self, spec: TaskSpec) -> int:
        """Start the shim and the container's PID 1; return PID 1's host pid."""
        return start_shim(spec, tier="namespace")

    def pids(self, pid: int) -> list[int]:
        """Every process in the container: those sharing PID 1's pid namespace."""
        try:
            target = os.readlink(f"/proc/{pid}/ns/pid")
        except OSError:
            return []
        out = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.readlink(f"/proc/{entry}/ns/pid") == target:
                        out.append(int(entry))
                except OSError:
                    continue
        return sorted(out)

    def exec(self, container_id: str, pid: int, argv: list[str], env: list[str], cwd: str,
             stdin: int, stdout: int, stderr: int, rootfs: Path | None = None, user: str = "",
             detach: bool = False) -> int:
        """Run ``argv`` inside the container and return its exit code (``detach``: 0 once
        it runs; the container's pid namespace ends it with PID 1 at the latest)."""
        from .launch import exec_command, exit_code, wait_exec

        ns_fds = []
        for name, flag in _NAMESPACES:
            path = f"/proc/{pid}/ns/{name}"
            if os.readlink(path) != os.readlink(f"/proc/self/ns/{name}"):
                ns_fds.append((os.open(path, os.O_RDONLY | os.O_CLOEXEC), flag))
        freezer = freezer_for(container_id)
        err_r, err_w = os.pipe2(os.O_CLOEXEC)
        child = os.fork()
        if child == 0:
            code = 126
            try:
                os.close(err_r)
                try:
                    freezer.join()  # so `pause` freezes exec'd processes too
                except OSError:
                    pass
                for fd, flag in ns_fds:
                    linux.setns(fd, flag)
                for target, fd in enumerate((stdin, stdout, stderr)):
                    os.dup2(fd, target)
                grandchild = os.fork()  # only children enter the pid namespace
                if grandchild == 0:
                    exec_command(argv, env, cwd, err_w, user=user)
                os.close(err_w)
                if detach:  # the command goes on by itself; the host's init reaps it
                    os._exit(0)
                _, status = os.waitpid(grandchild, 0)
                code = exit_code(status)
            except BaseException as e:  # noqa: BLE001
                os.write(err_w, json.dumps({"message": str(e), "code": 126}).encode())
            finally:
                os._exit(code)
        os.close(err_w)
        for fd, _ in ns_fds:
            os.close(fd)
        return wait_exec(err_r, child)
