"""Run a command as a classroom machine would: a non-root user who cannot create user
namespaces (as in many JupyterHub pods).

Usage (as root): ``python restricted.py UID -- COMMAND...``; ``interpreter(UID)`` finds a
Python that user may run.

It makes a user namespace whose ids map one to one onto the host's, forbids any further
user namespace inside it (``user.max_user_namespaces = 0``), becomes ``UID`` and runs the
command. Nothing on the host is changed.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from simulator.sandbox import linux  # noqa: E402


@functools.cache
def interpreter(uid: int) -> str:
    """A Python of this version that ``uid`` may run ("" if none): the venv's may live under
    /root, where another user cannot reach it."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, f"/usr/bin/python{version}", "/usr/bin/python3"):
        probe = subprocess.run([sys.executable, __file__, str(uid), "--", candidate, "-c",
                                f"import sys; assert sys.version.startswith('{version}')"], capture_output=True)
        if probe.returncode == 0:
            return candidate
    return ""


def main(argv: list[str]) -> int:
    uid = int(argv[0])
    command = argv[argv.index("--") + 1:]
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(to_child_w)
        os.close(to_parent_r)
        linux.unshare(linux.CLONE_NEWUSER)
        os.write(to_parent_w, b"x")
        os.read(to_child_r, 1)  # the parent has written our id maps
        Path("/proc/sys/user/max_user_namespaces").write_text("0")
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        os.execvp(command[0], command)
    os.close(to_child_r)
    os.close(to_parent_w)
    os.read(to_parent_r, 1)
    Path(f"/proc/{pid}/uid_map").write_text("0 0 65536\n")
    Path(f"/proc/{pid}/gid_map").write_text("0 0 65536\n")
    os.write(to_child_w, b"x")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
