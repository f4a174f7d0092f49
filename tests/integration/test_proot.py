"""The process tier with PRoot: ``/`` is the container's root, and the tier says so.

Each test runs on the process tier (``DOCKERSIM_RUNTIME=process``) and skips where PRoot
cannot run here, with PRoot's own reason.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simulator.sandbox import proot

pytestmark = pytest.mark.sandbox


@pytest.fixture
def engine(data_root: Path, monkeypatch: pytest.MonkeyPatch):
    from simulator.engine import Engine
    from tests.conftest import leftovers

    monkeypatch.setenv("DOCKERSIM_RUNTIME", "process")
    monkeypatch.delenv(proot.SETTING, raising=False)
    proot.problem.cache_clear()
    why = proot.problem()
    if why:
        pytest.skip(f"PRoot cannot run here: {why}")
    eng = Engine(data_root, snapshots="none")
    assert eng.pull("busybox").ok
    yield eng
    ids = [r.id for r in eng.store.containers.all()]
    eng.remove_all()
    assert leftovers(data_root, ids) == []
    proot.problem.cache_clear()


def test_absolute_paths_are_the_containers(engine):
    step = engine.run("busybox", ["sh", "-c", "echo hi > /tmp/x; echo x > /new.txt; cat /tmp/x; pwd; id -u"],
                      name="abs", workdir="/work")
    assert (step.exit_code, step.stdout) == (0, "hi\n/work\n0\n")
    assert engine.diff("abs").stdout == "A /new.txt\nC /tmp\nA /tmp/x\nA /work\n"
    assert not os.path.exists("/new.txt")


def test_the_init_files_are_the_containers_and_not_in_the_diff(engine):
    engine.run("busybox", ["sleep", "1000"], name="init", detach=True)
    cid = json.loads(engine.inspect("init").stdout)[0]["Id"]
    assert engine.exec("init", ["cat", "/etc/hostname"]).stdout == cid[:12] + "\n"
    assert engine.diff("init").stdout == ""
    assert engine.exec("init", ["sh", "-c", "echo e > /etc/x"]).ok
    assert engine.diff("init").stdout == "C /etc\nA /etc/x\n"
    assert not Path("/etc/x").exists()  # the host's /etc is not the container's


def test_signals_reach_the_command_and_its_exit_code_is_the_containers(engine):
    engine.run("busybox", ["sleep", "1000"], name="sig", detach=True)
    pid = json.loads(engine.inspect("sig").stdout)[0]["State"]["Pid"]
    assert Path(f"/proc/{pid}/cmdline").read_bytes() == b"sleep\x001000\x00"  # the command, not PRoot
    assert not proot.is_proot(pid)
    assert engine.kill("sig").ok
    assert json.loads(engine.inspect("sig").stdout)[0]["State"]["ExitCode"] == 137
    exited = engine.run("busybox", ["sh", "-c", "exit 3"], name="code")
    assert exited.exit_code == 3


def test_exec_returns_when_its_command_ends_and_gives_its_code(engine):
    engine.run("busybox", ["sleep", "1000"], name="ex", detach=True)
    # the shell leaves a process behind and exits 4: PRoot stays for it, exec does not wait.
    # (It runs a moment first: one that ends within milliseconds, before the command can be
    # seen, leaving processes behind, reports 0; see process._wait_traced.)
    step = engine.exec("ex", ["sh", "-c", "sleep 1000 >/dev/null 2>&1 & sleep 0.3; exit 4"])
    assert step.exit_code == 4
    assert engine.exec("ex", ["sh", "-c", "kill -9 $$"]).exit_code == 137


def test_info_inspect_and_the_figure_say_prooted(engine):
    info = engine.info().stdout
    assert "  Root: PRoot (ptrace): / is the container's root" in info
    engine.run("busybox", ["true"], name="said")
    sandbox = json.loads(engine.inspect("said").stdout)[0]["Dockersim"]["Sandbox"]
    assert "root: PRoot (ptrace)" in sandbox
    assert engine.snapshot().runtime == "process (PRoot)"


def test_without_proot_the_tier_says_so(engine, monkeypatch):
    monkeypatch.setenv(proot.SETTING, "off")
    proot.problem.cache_clear()
    info = engine.info().stdout
    assert f"  Root: no PRoot ({proot.SETTING}=off): absolute paths are the host's" in info
    assert engine.snapshot().runtime == "process (no PRoot)"
    step = engine.run("busybox", ["pwd"], name="bare")
    assert step.stdout.strip().endswith("/rootfs")  # the copy, seen from the host
