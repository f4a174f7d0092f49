"""What a metadata command imports.

``ps``, ``inspect`` and ``images`` aim at 10 ms more than a bare interpreter
(bench/README.md); importing pathlib alone once took 3 ms of that. The store keeps its
paths as strings for these commands, and every heavier module waits until a command uses it.
"""

import os
import subprocess
import sys

import pytest

from simulator.model.objects import ContainerConfig, ContainerRecord
from simulator.store import Store

#: Modules a metadata command must not import (each costs a millisecond or more).
HEAVY = {"pathlib", "threading", "subprocess", "shutil", "tempfile", "typing", "signal",
         "rich", "graphviz", "transitions", "psutil"}


def imported(root, *args: str) -> set[str]:
    """Every module ``dockersim ARGS`` imports, as ``python -X importtime`` lists them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "simulator", *args],
        env={**os.environ, "DOCKERSIM_ROOT": str(root), "DOCKERSIM_DIAGRAMS": "off"},
        capture_output=True, text=True, check=True,
    )
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """A data root with one exited container (written straight into the store: no sandbox)."""
    path = tmp_path_factory.mktemp("root")
    config = ContainerConfig(image="busybox", cmd=["sh"])
    Store(path).containers.add(ContainerRecord(id="ab" * 32, name="web", created="2024-01-01T00:00:00Z",
                                               config=config, status="exited"))
    return path


@pytest.mark.parametrize("args", [["ps"], ["ps", "-a"], ["inspect", "web"], ["images"],
                                  ["ps", "-a", "--filter", "status=exited", "--format", "table {{.Names}}"],
                                  ["inspect", "-f", "{{.State.Status}}", "web"]], ids=" ".join)
def test_metadata_commands_import_nothing_heavy(root, args):
    modules = imported(root, *args)
    assert "simulator.engine" in modules  # the command did run
    assert sorted(modules & HEAVY) == []
