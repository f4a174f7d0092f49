"""``attach`` and ``stats`` through the Python API, on both tiers (their command lines and
the detach keys on a terminal are compared with Docker in tests/conformance/)."""

from __future__ import annotations

import re
import threading
import time

import pytest

from simulator.engine import CHANGES_STATE, Output

pytestmark = pytest.mark.sandbox


def test_attach_shows_output_from_now_on_and_returns_the_exit_code(engine):
    engine.run("busybox", ["sh", "-c", "echo before; while [ ! -e tmp/go ]; do echo tick; sleep 0.05; done; echo bye; exit 6"],
               name="live", detach=True)
    out = Output()
    steps = []
    attaching = threading.Thread(target=lambda: steps.append(engine.attach("live", out=out)))
    attaching.start()
    deadline = time.monotonic() + 30
    while b"tick" not in out.stdout.getvalue() and attaching.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)  # the attach's own output is the event: it is live once a tick arrives
    engine.exec("live", ["touch", "tmp/go"])
    attaching.join(30)
    (step,) = steps
    lines = step.stdout.splitlines()
    assert step.exit_code == 6 and lines[-1] == "bye" and "before" not in lines, step.stdout
    assert CHANGES_STATE["attach"] and not CHANGES_STATE["stats"]  # attach's figure shows it exited


def test_attach_refuses_a_stopped_and_a_paused_container(engine):
    engine.create("busybox", ["true"], name="new")
    step = engine.attach("new")
    assert (step.exit_code, step.stderr) == (1, "You cannot attach to a stopped container, start it first\n")
    engine.run("busybox", ["sleep", "100"], name="frozen", detach=True)
    engine.pause("frozen")
    step = engine.attach("frozen")
    assert (step.exit_code, step.stderr) == (1, "You cannot attach to a paused container, unpause it first\n")


def test_stats_reads_the_processes_of_each_container(engine):
    engine.run("busybox", ["sh", "-c", "while :; do :; done"], name="busy", detach=True)
    engine.run("busybox", ["sleep", "100"], name="idle", detach=True)
    engine.create("busybox", ["true"], name="new")
    step = engine.stats("busy", "idle", "new")  # captured output: one table, never a stream
    header, *rows = step.stdout.splitlines()
    assert re.split(r"  +", header) == ["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O",
                                        "BLOCK I/O", "PIDS"]
    cells = {row.split()[1]: re.split(r"  +", row) for row in rows}
    assert float(cells["busy"][2].rstrip("%")) > 10, rows
    assert re.fullmatch(r"\d+(\.\d+)?(KiB|MiB) / \d+(\.\d+)?GiB", cells["idle"][3]), rows
    assert cells["idle"][7] == "1" and cells["idle"][5] == "0B / 0B"
    assert cells["new"][2:] == ["0.00%", "0B / 0B", "0.00%", "0B / 0B", "0B / 0B", "0"]
    assert engine.stats(all=True, format="{{.Name}}").stdout.split() == ["new", "idle", "busy"]
    missing = engine.stats("idle", "nosuch")
    assert (missing.exit_code, missing.stdout, missing.stderr) == (1, "", "Error response from daemon: No such container: nosuch\n")


def test_info_says_which_stats_figures_are_measured(engine):
    assert "Stats: CPU, memory (RSS), block I/O and PIDs from /proc" in engine.info().stdout


def test_in_the_shell_ctrl_p_ctrl_q_leaves_the_container_and_attach_returns_to_it(data_root, tier):
    """The ``dockersim shell`` prompt on a real terminal: detaching from ``run -it`` gives the
    prompt back (status 0) with the container running; ``attach`` reaches the same shell."""
    from tests.conftest import leftovers
    from tests.integration.test_shell import Terminal

    term = Terminal()
    try:
        term.prompt()
        term.type(b"run -it --name box busybox sh\r")
        term.expect(b"# ")
        term.type(b"echo kept > tmp/mark\r")
        term.expect(b"# ")
        term.type(b"\x10\x11")
        _, status = term.prompt()
        assert status == 0
        output, _ = term.line("ps --format '{{.Names}} {{.State}}'")
        assert b"box running" in output
        term.type(b"attach box\r")
        term.expect(b"# ")  # the shell redraws its prompt for the newcomer
        term.type(b"cat tmp/mark; exit 5\r")
        term.expect(b"kept\r\n")
        _, status = term.prompt()
        assert status == 5
        output, status = term.line("rm box")
        assert status == 0, output
    finally:
        term.close()
    assert leftovers(data_root) == []
