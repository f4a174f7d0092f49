"""What a data root may leave behind on the machine: processes, mounts and freezer cgroups.

Plain functions, no pytest: the test suite checks after every test that nothing is left,
and ``bench/run.py`` checks the same after a run.
"""

from __future__ import annotations

import os
from pathlib import Path

FREEZER_ROOTS = (Path("/sys/fs/cgroup/freezer/dockersim"), Path("/sys/fs/cgroup/dockersim"))


def leftovers(root: Path, ids: "tuple[str, ...] | list[str]" = ()) -> list[str]:
    """Processes and mounts that still mention the data root ``root``, and freezer cgroups
    still there for its containers (those in ``root`` now, and ``ids``, removed already)."""
    found = []
    marker = str(root)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append(f"process {pid}: {cmdline}")
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        if marker in line:
            found.append(f"mount: {line}")
    containers = Path(root) / "containers"
    cids = {*ids, *(os.listdir(containers) if containers.is_dir() else ())}
    for cgroup in FREEZER_ROOTS:
        found += [f"cgroup {cgroup / cid}" for cid in sorted(cids) if (cgroup / cid).exists()]
    return found
