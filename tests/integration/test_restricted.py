"""The process tier where it is really needed: a non-root user without user namespaces.

``DOCKERSIM_RUNTIME`` is left at ``auto``: the engine must find out by itself that the
namespace tier cannot work, fall back, and say why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO, leftovers
from tests.integration.restricted import interpreter

pytestmark = pytest.mark.sandbox

UID = 65534  # nobody
HERE = Path(__file__).resolve().parent


@pytest.fixture
def restricted(monkeypatch: pytest.MonkeyPatch):
    if os.geteuid() != 0:
        pytest.skip("making a non-root user without user namespaces needs root (as non-root, run the suite itself)")
    python = interpreter(UID)
    if not python:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that uid {UID} may run")
    home = Path(tempfile.mkdtemp(prefix="dockersim-restricted-"))
    os.chmod(home, 0o755)
    os.chown(home, UID, UID)
    root = home / "root"
    site = [p for p in sys.path if p.endswith("site-packages")]
    env = dict(os.environ, HOME=str(home), DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS="off",
               PYTHONPATH=os.pathsep.join([str(REPO), *site]))
    env.pop("DOCKERSIM_RUNTIME", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(HERE / "restricted.py"), str(UID), "--", python, "-m", "simulator", *args],
                              capture_output=True, text=True, env=env, cwd=home, timeout=60)

    yield run
    ids = run("ps", "-aq", "--no-trunc").stdout.split()
    if ids:
        run("rm", "-f", *ids)
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
