"""Longer scenarios: signals and stop, the read-write layer, logs, attach, wait, ps."""

from __future__ import annotations


import pytest

TRAP = 'trap "exit 7" TERM; echo ready; while true; do sleep 0.1; done'


def _wait_until_logged(rec, name: str, text: str) -> None:
    """Follow the container's log (not compared) until ``text`` shows: the trap is then in place."""
    rec.cli.wait_for_output(name, text)


def test_stop_of_a_term_trapping_pid_1_ends_with_the_traps_exit_code(engines):
    name = engines.name("trap")

    def scenario(rec):
        rec.run("run", "-d", "--name", name, "busybox", "sh", "-c", TRAP)
        _wait_until_logged(rec, name, "ready")
        rec.run("stop", "-t", "5", name)
        rec.state(name)
        rec.run("logs", name)

    engines.compare(scenario)


def test_kill_s_term_of_a_term_trapping_pid_1_ends_with_the_traps_exit_code(engines):
    name = engines.name("trapkill")

    def scenario(rec):
        rec.setup("run", "-d", "--name", name, "busybox", "sh", "-c", TRAP)
        _wait_until_logged(rec, name, "ready")
        rec.run("kill", "-s", "TERM", name)
        rec.run("wait", name)
        rec.state(name)

    engines.compare(scenario)


DIFF_SCRIPT = "mkdir /newdir; touch /newdir/f; echo x > /etc/newfile; rm /bin/ls; touch /tmp/t"


def test_diff_lists_the_changes_in_the_read_write_layer(engines):
    """Docker's diff order is not stable (map order): the lines are compared as a set."""
    name = engines.name("diff")

    def scenario(rec):
        rec.run("run", "--name", name, "busybox", "sh", "-c", DIFF_SCRIPT)
        rec.run("diff", name, compare="diffset")

    engines.compare(scenario)


def test_run_rm_leaves_no_container(engines):
    name = engines.name("rm")

    def scenario(rec):
        rec.run("run", "--rm", "--name", name, "busybox", "echo", "hi")
        rec.run("inspect", name)
        rec.state(name)

    engines.compare(scenario)


def _foreign_reference_containers(engines) -> list[str]:
    """Containers on the reference engine that this test did not create."""
    mine = set(engines.names)
    names = engines.ref("ps", "-a", "--format", "{{.Names}}").stdout.split()
    return [n for n in names if n not in mine]


@pytest.mark.parametrize("containers", [0, 1], ids=["empty", "one-created"])
def test_ps_a_header_line(engines, containers):
    """``ps -a``'s header; its column widths follow the widest cell, so the reference engine
    must hold only this test's containers. With a container, the CREATED column's width
    depends on the clock ("Less than a second ago" / "1 second ago"): it is left aside, and
    the row is compared cell by cell."""
    foreign = _foreign_reference_containers(engines)
    if foreign:
        pytest.skip(f"the reference engine holds other containers, which set ps's column widths: {foreign[:5]}")
    names = [engines.name("ps") for _ in range(containers)]

    def scenario(rec):
        for name in names:
            rec.setup("create", "--name", name, "busybox", "sleep", "1000")
        rec.run("ps", "-a", compare="ps" if names else "top")

    engines.compare(scenario)


def test_logs_keep_stdout_and_stderr_apart(engines):
    name = engines.name("logs")

    def scenario(rec):
        rec.run("run", "--name", name, "busybox", "sh", "-c", "echo to-stdout; echo to-stderr >&2; echo out2")
        rec.run("logs", name)

    engines.compare(scenario)


def test_start_a_attaches_both_streams_and_returns_the_exit_code(engines):
    name = engines.name("attach")

    def scenario(rec):
        rec.run("create", "--name", name, "busybox", "sh", "-c", "echo out; echo err >&2; exit 4")
        rec.run("start", "-a", name)
        rec.state(name)
        rec.run("logs", name)

    engines.compare(scenario)


def test_wait_of_exited_containers_prints_their_exit_codes(engines):
    three, zero = engines.name("wait3"), engines.name("wait0")

    def scenario(rec):
        rec.setup("run", "--name", three, "busybox", "sh", "-c", "exit 3", expect=3)
        rec.setup("run", "--name", zero, "busybox", "true")
        rec.run("wait", three)
        rec.run("wait", three, zero)
        rec.run("wait", three, "nosuch-container-cf", zero)

    engines.compare(scenario)


@pytest.mark.parametrize("tail", ["2", "0", "all", "-1", "x", "1.5"])
def test_logs_tail_shows_the_last_lines(engines, tail):
    """``--tail N``: the last N lines, an unfinished one included; a value that is not a count
    shows all. (One stream only: how two streams interleave in the log is a race, in Docker too.)"""
    name = engines.name("tail")

    def scenario(rec):
        rec.setup("run", "--name", name, "busybox", "sh", "-c", "echo 1; echo 2; echo 3; printf x")
        rec.run("logs", "--tail", tail, name)
        rec.run("logs", "-n", tail, "-f", name)

    engines.compare(scenario)


def test_logs_tail_of_a_running_container(engines):
    """The last lines so far; ``-f`` from there is checked where its timing can be awaited
    (tests/integration/test_cli.py)."""
    name = engines.name("tailr")

    def scenario(rec):
        rec.setup("run", "-d", "--name", name, "busybox", "sh", "-c", "echo 1; echo 2; echo 3; exec sleep 1000")
        rec.cli.wait_for_output(name, "3")
        rec.run("logs", "--tail", "2", name)

    engines.compare(scenario)
