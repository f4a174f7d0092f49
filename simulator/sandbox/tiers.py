"""Which sandbox tier runs new containers: ``DOCKERSIM_RUNTIME=auto|namespace|process``.

``auto`` takes the namespace tier where it works here (it tries: a user and mount namespace,
and overlayfs) and otherwise the process tier, saying why.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from ..model.errors import InvalidParameter

__all__ = ["TIERS", "choose", "namespace_problem", "sandbox"]

TIERS = ("namespace", "process")
DESCRIPTIONS = {
    "namespace": "user, mount, pid, uts and ipc namespaces; overlayfs; the command is PID 1",
}


@functools.cache
def namespace_problem() -> str:
    """Why the namespace tier cannot run here ("" when it can): tried, not guessed."""
    if "overlay" not in Path("/proc/filesystems").read_text():
        return "the kernel has no overlayfs"
    from . import linux

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # try it in a throwaway child
        os.close(r)
        message = b""
        try:
            linux.unshare(linux.CLONE_NEWUSER | linux.CLONE_NEWNS)
        except OSError as e:
            message = f"cannot create a user namespace ({e.strerror})".encode()
        os.write(w, message)
        os._exit(0)
    os.close(w)
    message = os.read(r, 4096).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return message


def choose() -> tuple[str, str]:
    """(tier, why) for new containers."""
    setting = os.environ.get("DOCKERSIM_RUNTIME", "auto") or "auto"
    if setting in TIERS:
        return setting, f"DOCKERSIM_RUNTIME={setting}"
    if setting != "auto":
        raise InvalidParameter(f"DOCKERSIM_RUNTIME must be auto, namespace or process, not {setting!r}")
    problem = namespace_problem()
    if not problem:
        return "namespace", "namespaces and overlayfs work here"
    return "process", f"the namespace tier does not work here: {problem}"


def sandbox(tier: str, containers_root: Path):
    """(snapshotter, runtime) of ``tier``."""
    if tier == "process":
        from .process import CopySnapshotter, ProcessRuntime

        return CopySnapshotter(containers_root), ProcessRuntime()
    from .namespaces import NamespaceRuntime
    from .overlay import OverlaySnapshotter

    return OverlaySnapshotter(containers_root), NamespaceRuntime()
