"""Shared fixtures: a fresh engine per test, and a check that nothing leaks afterwards."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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


def leftovers(root: Path) -> list[str]:
    """Processes, mounts and cgroups that still belong to the data root ``root``."""
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
    containers = root / "containers"
    for cgroup in (Path("/sys/fs/cgroup/freezer/dockersim"), Path("/sys/fs/cgroup/dockersim")):
        if cgroup.is_dir() and containers.is_dir():
            for cid in os.listdir(containers):
                if (cgroup / cid).exists():
                    found.append(f"cgroup {cgroup / cid}")
    return found


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
    if ids:
        eng.rm(*ids, force=True)
    for cid in ids:  # the cgroup of a removed container must be gone too
        for cgroup in (Path("/sys/fs/cgroup/freezer/dockersim") / cid,):
            assert not cgroup.exists(), f"leaked {cgroup}"
    assert leftovers(data_root) == []


@pytest.fixture
def cli(data_root: Path, tier: str):
    """Run ``dockersim`` as a learner would, in a separate process, on each tier."""

    def run(*args: str, input: str | None = None, check: bool = False) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True,
                                input=input, cwd=REPO, timeout=60)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    yield run
    ids = run("ps", "-aq", "--no-trunc").stdout.split()
    if ids:
        run("rm", "-f", *ids)
    assert leftovers(data_root) == []
