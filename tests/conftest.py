"""Shared fixtures: a fresh engine per test, and a check that nothing leaks afterwards."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.leaks import leftovers  # noqa: F401 - the tests import it from here

REPO = Path(__file__).resolve().parents[1]

# A `dockersim` command starts its data root's daemon (simulator/daemon.py), which outlives
# it. Tests that run the CLI say so (the `cli` fixture, the conformance harness, the daemon's
# own tests) and stop it afterwards; everything else runs each command in its own process.
os.environ["DOCKERSIM_DAEMON"] = "off"


def stop_daemon(root: Path) -> None:
    """Stop the daemon of data root ``root``, if one serves it, and wait until it is gone."""
    from simulator.daemon import stop

    stop(str(root))


@functools.cache
def sandbox_unavailable() -> str:
    """Why real containers cannot run here ("" when they can)."""
    if sys.platform != "linux":
        return "the namespace tier needs Linux"
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "true"],
        capture_output=True, text=True,
    )
    if probe.returncode != 0:
        return f"user namespaces are not available here: {probe.stderr.strip()}"
    if "overlay" not in Path("/proc/filesystems").read_text():
        return "the kernel has no overlayfs"
    return ""


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "root"
    monkeypatch.setenv("DOCKERSIM_ROOT", str(root))
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", "off")
    return root


@pytest.fixture(params=["namespace", "process"])
def tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each sandbox tier in turn (DOCKERSIM_RUNTIME)."""
    if request.param == "namespace":
        reason = sandbox_unavailable()
        if reason:
            pytest.skip(reason)
    monkeypatch.setenv("DOCKERSIM_RUNTIME", request.param)
    return request.param


@pytest.fixture
def engine(data_root: Path, tier: str):
    """A real engine on a fresh data root, on each tier; every container is removed and
    checked for leaks afterwards."""
    from simulator.engine import Engine

    eng = Engine(data_root, snapshots="none")
    assert eng.pull("busybox").ok
    yield eng
    ids = [r.id for r in eng.store.containers.all()]
    eng.remove_all()
    assert leftovers(data_root, ids) == []  # the cgroups of removed containers too


@pytest.fixture
def cli(data_root: Path, tier: str):
    """Run ``dockersim`` as a learner would, in a separate process, on each tier: through
    the data root's daemon (started here, and waited for, so every command goes through it)."""

    def run(*args: str, input: str | None = None, check: bool = False) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True,
                                input=input, cwd=REPO, timeout=60, env=dict(os.environ, DOCKERSIM_DAEMON="auto"))
        if check:
            assert result.returncode == 0, result.stderr
        return result

    assert run("daemon", "start").returncode == 0
    yield run
    ids = run("ps", "-aq", "--no-trunc").stdout.split()
    if ids:
        run("rm", "-f", *ids)
    stop_daemon(data_root)
    assert leftovers(data_root) == []
