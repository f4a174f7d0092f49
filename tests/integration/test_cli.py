"""The ``dockersim`` command line as a learner uses it, one process per command."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.sandbox


def test_run_in_one_terminal_and_ps_in_another_agree(cli):
    cid = cli("run", "-d", "--name", "web", "busybox", "sleep", "1000", check=True).stdout.strip()
    assert len(cid) == 64
    listing = cli("ps").stdout.splitlines()
    assert listing[0].split() == ["CONTAINER", "ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    assert listing[1].startswith(cid[:12]) and listing[1].endswith("web")
    assert '"sleep 1000"' in listing[1] and "Up " in listing[1]
    assert cli("rm", "-f", "web").stdout == "web\n"
    assert cli("ps", "-aq").stdout == ""


def test_the_first_run_pulls_busybox_as_docker_says(cli):
    first = cli("run", "--rm", "busybox", "echo", "hi")
    assert first.stderr.startswith("Unable to find image 'busybox:latest' locally\n")
    assert first.stdout.endswith("hi\n") and first.returncode == 0
    again = cli("run", "--rm", "busybox", "echo", "hi")
    assert (again.stdout, again.stderr) == ("hi\n", "")


def test_exit_codes_of_run_follow_docker(cli):
    assert cli("run", "busybox", "sh", "-c", "exit 5").returncode == 5
    assert cli("run", "busybox", "nosuchcmd").returncode == 127
    assert cli("run", "busybox", "/etc").returncode == 126
    bad = cli("run", "--name", "bad name!", "busybox")
    assert bad.returncode == 125
    assert bad.stderr == ("docker: Error response from daemon: Invalid container name (bad name!), only "
                          "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n\nRun 'docker run --help' for more information\n")
    assert cli("nosuchcommand").returncode == 1


def test_each_step_writes_a_figure(cli, data_root, monkeypatch, tmp_path):
    figures = tmp_path / "figures"
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", str(figures))
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS_WAIT", "1")  # figures are drawn in the background
    cli("create", "--name", "fig", "busybox", "sh", "-c", "echo a b", check=True)
    names = sorted(p.name for p in figures.iterdir())
    if not names:
        pytest.skip("graphviz's dot is not installed, so no figure is drawn")
    assert names == ["0001-create.json", "0001-create.svg", "latest.svg"]  # the JSON feeds the live page
    about = json.loads((figures / "0001-create.json").read_text())
    assert about["command"] == "create --name fig busybox sh -c 'echo a b'"  # quoted as typed
    svg = (figures / "latest.svg").read_text()
    assert "read&#45;write layer" in svg or "read-write layer" in svg
    assert "fig" in svg


def test_run_it_gives_a_real_shell(cli, data_root, tier):
    cli("pull", "busybox", check=True)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "simulator", "run", "-it", "--name", "shell", "busybox", "sh"],
                  dict(os.environ, DOCKERSIM_DAEMON="auto"))  # through the daemon, as `cli` runs
    transcript = b""

    def read_until(marker: bytes) -> None:
        nonlocal transcript
        while marker not in transcript:
            ready, _, _ = select.select([fd], [], [], 20)
            assert ready, f"no {marker!r} in {transcript!r}"
            try:
                transcript += os.read(fd, 4096)
            except OSError:
                return

    read_until(b"# ")
    os.write(fd, b"echo $((6*7)) > tmp/answer; cat tmp/answer; tty\r")  # relative: see the process tier
    # the namespace tier's terminal comes from the container's own devpts
    read_until(b"/dev/pts/0" if tier == "namespace" else b"/dev/pts/")
    assert b"42" in transcript
    os.write(fd, b"exit 5\r")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 5
    assert cli("diff", "shell").stdout == "C /tmp\nA /tmp/answer\n"


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], cwd=REPO, env=dict(os.environ, DOCKERSIM_DAEMON="auto"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_ctrl_c_in_an_attached_run_goes_to_the_container(cli):
    import signal

    cli("pull", "busybox", check=True)
    # a PID 1 that handles SIGINT: it prints and exits 3, so the CLI exits 3 as docker does
    run = _spawn("run", "--name", "intr", "busybox", "sh", "-c", 'trap "echo got INT; exit 3" INT; echo ready; while :; do sleep 0.1; done')
    assert run.stdout.readline() == "ready\n"
    run.send_signal(signal.SIGINT)
    out, _ = run.communicate(timeout=20)
    assert out == "got INT\n" and run.returncode == 3


def test_ctrl_c_ends_logs_follow_and_leaves_the_container_running(cli):
    import signal

    cli("run", "-d", "--name", "lf", "busybox", "sh", "-c", "echo ready; exec sleep 1000", check=True)
    follow = _spawn("logs", "-f", "lf")
    assert follow.stdout.readline() == "ready\n"
    follow.send_signal(signal.SIGINT)
    follow.communicate(timeout=20)
    assert follow.returncode == 130
    assert "Up " in cli("ps").stdout


def test_logs_follow_tail_starts_at_the_last_lines_and_goes_on(cli):
    """``-f --tail 1``: the last line so far, then what comes; the container waits for a
    file that ``exec`` makes (relative: the process tier's absolute paths are the host's)."""
    cli("run", "-d", "--name", "ft", "busybox", "sh", "-c",
        "echo 1; echo 2; echo 3; while [ ! -e go ]; do sleep 0.05; done; echo 4", check=True)
    follow = _spawn("logs", "-f", "--tail", "1", "ft")
    assert follow.stdout.readline() == "3\n"
    cli("exec", "ft", "touch", "go", check=True)
    out, _ = follow.communicate(timeout=20)
    assert out == "4\n" and follow.returncode == 0
