"""PRoot: a real root for the process tier, without privileges or namespaces.

PRoot (``proot``, as udocker and Termux use it) traces a command with ptrace and rewrites
every path it names, so that ``/`` is the container's copy of its root: ``echo hi > /tmp/x``
writes the container's ``/tmp/x``, ``cat /etc/hostname`` reads the container's. It needs
only ptrace, which a JupyterHub or Binder pod (Docker's default seccomp profile and
capabilities, no user namespaces) allows; where ptrace is refused (a stricter seccomp
profile, Yama's ptrace_scope 3, a process already traced) the tier runs without it and says
so.

What PRoot changes in how a container's processes are watched:

* PRoot is the tracer and the real parent of the command: the container's main process is
  PRoot's child (``tracee``), and ``kill``/``stop`` signal it, never PRoot, which ignores
  SIGTERM and SIGINT;
* PRoot exits with the status of the last of its tracees that *exited*: a command killed by
  a signal does not count. The command's own status is read from a pidfd instead
  (``PIDFD_INFO_EXIT``, Linux 6.15+, even for a process that is not our child); on older
  kernels PRoot's status stands in, right for every command that exits by itself;
* pausing stops PRoot and its tracees, each by SIGSTOP (a stopped tracer holds its tracees
  at their next system call; a stopped tracee stays stopped).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

__all__ = ["argv", "command_status", "is_proot", "problem", "tracee"]

# PRoot's own settings, in the environment it passes on: bind the init files (hostname,
# hosts, resolv.conf) without creating placeholders for them in the container's root,
# where `docker diff` would list them
ENV = {"PROOT_DONT_POLLUTE_ROOTFS": "1"}
SETTING = "DOCKERSIM_PROOT"  # "off": the process tier without PRoot, as where ptrace is refused


def _binary() -> str:
    return shutil.which("proot") or ""


@functools.cache
def problem(remember_in: str | None = None) -> str:
    """Why the process tier cannot use PRoot here ("" when it can): tried, not guessed.

    The answer is kept in ``remember_in`` as the namespace probe's is (see tiers.py), for
    as long as nothing it depends on can have changed."""
    if os.environ.get(SETTING, "") == "off":
        return f"{SETTING}=off"
    binary = _binary()
    if not binary:
        return "proot is not installed (apt-get install proot)"
    if remember_in is None:
        return _try(binary)
    from ..store.atomic import remembered

    return remembered(remember_in, _probe_key(binary), lambda: _try(binary))


def _probe_key(binary: str) -> str:
    """What the answer depends on: this boot, who we are, the proot binary, and what may
    forbid ptrace (our seccomp mode, being traced already, Yama)."""
    st = os.stat(binary)
    parts = [str(os.geteuid()), binary, str(st.st_mtime_ns), str(st.st_size)]
    try:
        with open("/proc/self/status") as f:
            parts += [line.split()[1] for line in f if line.startswith(("Seccomp:", "NoNewPrivs:"))]
    except OSError:
        parts.append("-")
    from .tiers import knobs

    parts += knobs("/proc/sys/kernel/random/boot_id", "/proc/sys/kernel/yama/ptrace_scope")
    return " ".join(parts)


def _try(binary: str) -> str:
    """Run ``true`` under PRoot; why it failed, in PRoot's own first words, or ""."""
    true = shutil.which("true") or "/bin/true"
    try:
        probe = subprocess.run([binary, "-v", "-1", "-w", "/", true], capture_output=True, text=True,
                               timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"proot does not run ({e})"
    if probe.returncode == 0:
        return ""
    said = next((line.removeprefix("proot error: ") for line in probe.stderr.splitlines()
                 if line.startswith("proot error: ")), probe.stderr.strip() or f"exit {probe.returncode}")
    if "ptrace" in said:
        return f"ptrace is not allowed here (proot: {said})"
    return f"proot fails here ({said})"


def argv(rootfs: str, bundle: str, cwd: str, user: tuple[int, int] | None, command: list[str]) -> list[str]:
    """PRoot's command line: ``command`` with ``rootfs`` as its root, ``cwd`` its working
    directory, the host's /proc, /dev and /sys, the container's init files (hostname, hosts,
    resolv.conf, as the namespace tier mounts them) and ``user`` (uid, gid) as its ids."""
    uid, gid = user or (0, 0)
    out = [_binary(), "-v", "-1", "-r", rootfs, "-w", cwd or "/", "-i", f"{uid}:{gid}",
           "-b", "/proc", "-b", "/dev", "-b", "/sys"]
    for name in ("hostname", "hosts", "resolv.conf"):
        if os.path.exists(os.path.join(bundle, name)):
            out += ["-b", f"{bundle}/{name}:/etc/{name}"]
    return [*out, *command]


def is_proot(pid: int) -> bool:
    """Whether ``pid`` is a PRoot tracer (not one of the container's own processes)."""
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "proot"
    except OSError:
        return False


def tracee(proot_pid: int, timeout: float = 10.0) -> int:
    """The pid of PRoot's first tracee once it has become the command (0 if PRoot ended
    first). PRoot says nothing when it has forked: we look, waking at once if it exits."""
    import select
    import time

    try:
        gone = os.pidfd_open(proot_pid)
    except ProcessLookupError:
        return 0
    try:
        started = time.monotonic()
        closely, deadline = started + 0.05, started + timeout
        while time.monotonic() < deadline:
            for child in _children(proot_pid):  # a child still PRoot has not become the command yet
                if not is_proot(child) and is_proot(proot_pid):
                    return child
            # the first moments closely (a short command may end within them), then gently
            if select.select([gone], [], [], 0 if time.monotonic() < closely else 0.0005)[0]:
                return 0
        return 0
    except OSError:
        return 0
    finally:
        os.close(gone)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


_PIDFD_GET_INFO = 0xC040FF0B  # _IOWR(0xFF, 11, struct pidfd_info), 64 bytes
_PIDFD_INFO_EXIT = 1 << 3
_INFO = "=QQ11IiII"


def command_status(pidfd: int, timeout: float = 2.0) -> int | None:
    """The wait status of the ended process behind ``pidfd`` (not our child: PRoot's), or
    None where the kernel keeps no exit information for pidfds (before Linux 6.15).

    The kernel records it when the parent (PRoot) reaps the process, a moment after the
    pidfd has said it ended; there is no event for that moment, so we look again."""
    import fcntl
    import struct
    import time

    deadline = time.monotonic() + timeout
    while True:
        buf = bytearray(struct.pack(_INFO, _PIDFD_INFO_EXIT, 0, *([0] * 11), 0, 0, 0))
        try:
            fcntl.ioctl(pidfd, _PIDFD_GET_INFO, buf)
        except OSError:
            return None
        fields = struct.unpack(_INFO, buf)
        if fields[0] & _PIDFD_INFO_EXIT:
            return fields[13]
        if time.monotonic() > deadline:
            return None
        time.sleep(0.0002)
