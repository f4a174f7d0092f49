"""Many terminals at once, and terminals killed half-way: the store stays whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.sandbox


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sixteen_creates_at_once_give_sixteen_containers_and_one_name_once(cli):
    cli("pull", "busybox", check=True)
    anonymous = [_spawn("create", "busybox", "true") for _ in range(16)]
    named = [_spawn("create", "--name", "same", "busybox", "true") for _ in range(16)]
    results = [(p.wait(timeout=60), *p.communicate()) for p in anonymous + named]
    assert all(code == 0 for code, _, _ in results[:16])
    named_codes = sorted(code for code, _, _ in results[16:])
    assert named_codes == [0] + [1] * 15
    conflicts = [err for code, _, err in results[16:] if code]
    assert all('The container name "/same" is already in use' in err for err in conflicts)
    ids = cli("ps", "-aq", "--no-trunc").stdout.split()
    assert len(ids) == 17
    names = [json.loads(cli("inspect", i).stdout)[0]["Name"] for i in ids]
    assert len(set(names)) == 17


# Commands a learner might be running when the terminal is killed.
COMMANDS = [
    ("create", "busybox", "true"),
    ("run", "-d", "busybox", "sleep", "1000"),
    ("run", "--rm", "busybox", "true"),
    ("create", "-w", "/deep/work/dir", "busybox", "true"),
]


def test_clis_killed_mid_command_leave_a_store_every_command_reads(cli, data_root):
    cli("pull", "busybox", check=True)
    for round_ in range(20):
        proc = _spawn(*COMMANDS[round_ % len(COMMANDS)])
        time.sleep((round_ % 10) * 0.008)  # kill at a different moment each time: 0 to 72 ms in
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    ids = cli("ps", "-aq", "--no-trunc").stdout.split()
    for cid in ids:  # every container that shows is whole
        inspected = cli("inspect", cid)
        assert inspected.returncode == 0, inspected.stderr
        assert cli("diff", cid).returncode == 0
    assert cli("create", "busybox", "true").returncode == 0  # and the store takes new work
    leftovers = [name for name in os.listdir(data_root / "containers") if name.startswith(".")]
    assert leftovers == []  # half-made containers were cleared away
    for cid in cli("ps", "-q", "--no-trunc").stdout.split():
        state = json.loads(cli("inspect", cid).stdout)[0]["State"]
        assert state["Running"] and os.path.exists(f"/proc/{state['Pid']}")
