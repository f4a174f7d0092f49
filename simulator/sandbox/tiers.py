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


@functools.cache
def namespace_problem(remember_in: str | None = None) -> str:
    """Why the namespace tier cannot run here ("" when it can): tried, not guessed.

    Trying costs a forked child (a few ms of every ``create``), so the answer is kept in the
    file ``remember_in`` for as long as nothing it depends on can have changed: the same
    boot, user, user namespace and namespace limits (see ``_probe_key``)."""
    if "overlay" not in Path("/proc/filesystems").read_text():
        return "the kernel has no overlayfs"
    if remember_in is None:
        return _try_namespaces()
    from ..store.atomic import remembered

    return remembered(remember_in, _probe_key(), _try_namespaces)


def _probe_key() -> str:
    """What the probe's answer depends on: this boot, who we are, in which user namespace,
    and the knobs that allow or forbid user namespaces."""
    parts = [str(os.geteuid()), os.readlink("/proc/self/ns/user")]
    parts += knobs("/proc/sys/kernel/random/boot_id", "/proc/sys/user/max_user_namespaces",
                   "/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
    return " ".join(parts)


def knobs(*paths: str) -> list[str]:
    """The values of kernel settings a probe's answer depends on ("-" for one not there)."""
    values = []
    for path in paths:
        try:
            with open(path) as f:
                values.append(f.read().strip())
        except OSError:
            values.append("-")
    return values


def _try_namespaces() -> str:
    """Make a user and a mount namespace in a throwaway child; why not, or ""."""
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


def choose(remember_in: str | None = None) -> tuple[str, str]:
    """(tier, why) for new containers; ``remember_in``: see ``namespace_problem``."""
    setting = os.environ.get("DOCKERSIM_RUNTIME", "auto") or "auto"
    if setting in TIERS:
        return setting, f"DOCKERSIM_RUNTIME={setting}"
    if setting != "auto":
        raise InvalidParameter(f"DOCKERSIM_RUNTIME must be auto, namespace or process, not {setting!r}")
    problem = namespace_problem(remember_in)
    if not problem:
        return "namespace", "namespaces and overlayfs work here"
    return "process", f"the namespace tier does not work here: {problem}"


def sandbox(tier: str, containers_root: Path):
    """(snapshotter, runtime) of ``tier``."""
    if tier == "process":
        from .process import CopySnapshotter, ProcessRuntime

        return CopySnapshotter(containers_root), ProcessRuntime(str(containers_root.parent / "proot-probe"))
    from .namespaces import NamespaceRuntime
    from .overlay import OverlaySnapshotter

    return OverlaySnapshotter(containers_root), NamespaceRuntime()
