"""The process tier where it is really needed: a non-root user without user namespaces.

``DOCKERSIM_RUNTIME`` is left at ``auto``: the engine must find out by itself that the
namespace tier cannot work, fall back, and say why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import leftovers, stop_daemon
from tests.integration.restricted import UID, scratch
from tests.integration.restricted import run as run_as

pytestmark = pytest.mark.sandbox


@pytest.fixture
def restricted(restricted_python: Path):
    home = scratch("dockersim-restricted-")
    os.chown(home, UID, UID)
    root = home / "root"
    env = dict(os.environ, HOME=str(home), DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS="off")
    for key in ("DOCKERSIM_RUNTIME", "PYTHONPATH", "PYTHONHOME"):
        env.pop(key, None)

    def run(*args: str, daemon: bool = False) -> subprocess.CompletedProcess:
        """``dockersim ARGS`` as that user; ``daemon``: through the data root's daemon."""
        return run_as(UID, [str(restricted_python), "-m", "simulator", *args],
                      env=dict(env, DOCKERSIM_DAEMON="auto" if daemon else "off"), cwd=home, timeout=60)

    yield run
    ids = run("ps", "-aq", "--no-trunc").stdout.split()
    if ids:
        run("rm", "-f", *ids)
    stop_daemon(root)
    problems = leftovers(root)
    shutil.rmtree(home, ignore_errors=True)
    assert problems == []


def test_a_restricted_user_gets_the_process_tier_and_is_told_why(restricted):
    info = restricted("info").stdout
    assert "Tier: process (the namespace tier does not work here: cannot create a user namespace" in info
    assert "Pause: SIGSTOP/SIGCONT of every process" in info


def test_the_lifecycle_works_for_a_restricted_user(restricted):
    assert restricted("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo hi > tmp/x; exec sleep 1000").returncode == 0
    assert restricted("exec", "web", "cat", "tmp/x").stdout == "hi\n"
    assert restricted("diff", "web").stdout == "C /tmp\nA /tmp/x\n"
    assert restricted("pause", "web").stdout == "web\n"
    assert '"Paused": true' in restricted("inspect", "web").stdout
    assert restricted("unpause", "web").stdout == "web\n"
    assert restricted("stop", "web").stdout == "web\n"
    assert "Exited (143)" in restricted("ps", "-a").stdout  # documented: not PID 1
    assert restricted("rm", "web").stdout == "web\n"


def test_a_restricted_user_has_a_daemon_of_its_own(restricted):
    """The daemon, as that user, in a user namespace of its first command's: later commands,
    each from a namespace of its own, go through it all the same."""
    started = restricted("daemon", "start", daemon=True)
    assert started.returncode == 0, started.stderr
    assert "ran in a worker it forked" in restricted("info", daemon=True).stdout
    assert restricted("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo hi > tmp/x; exec sleep 1000",
                      daemon=True).returncode == 0
    assert restricted("exec", "web", "cat", "tmp/x", daemon=True).stdout == "hi\n"
    assert restricted("pause", "web", daemon=True).stdout == "web\n"
    assert '"Paused": true' in restricted("inspect", "web").stdout  # read without it: the same store
    assert restricted("rm", "-f", "web", daemon=True).stdout == "web\n"


def test_a_restricted_user_gets_a_real_root_from_proot(restricted):
    from simulator.sandbox.proot import problem

    why = problem()
    if why:
        pytest.skip(f"PRoot cannot run here: {why}")
    assert "Root: PRoot (ptrace): / is the container's root" in restricted("info").stdout
    assert restricted("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo hi > /tmp/x; exec sleep 1000").returncode == 0
    assert restricted("exec", "web", "cat", "/tmp/x").stdout == "hi\n"
    assert restricted("diff", "web").stdout == "C /tmp\nA /tmp/x\n"
    assert restricted("exec", "web", "id", "-u").stdout == "0\n"  # the container's root, as Docker's default user
    assert restricted("stop", "web").stdout == "web\n"
    assert "Exited (143)" in restricted("ps", "-a").stdout  # still not PID 1
    assert restricted("rm", "web").stdout == "web\n"
