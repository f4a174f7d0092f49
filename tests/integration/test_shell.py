"""``dockersim shell`` as a learner meets it: in a real terminal (a pseudo-terminal), with
keys typed one line at a time, and with a script on stdin."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, leftovers

pytestmark = pytest.mark.sandbox

PROMPT = re.compile(rb"docker(?: \[(\d+)\])?> ")
UP = b"\x1b[A"
CTRL_C, CTRL_D = b"\x03", b"\x04"


class Terminal:
    """``dockersim shell`` on a pseudo-terminal that is its controlling terminal, so Ctrl-C
    is a signal and readline edits the line, as for a learner."""

    def __init__(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
        env = {**os.environ, "TERM": "xterm", "INPUTRC": os.devnull}

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen([sys.executable, "-m", "simulator", "shell"], cwd=REPO, env=env,
                                        stdin=slave, stdout=slave, stderr=slave,
                                        preexec_fn=controlling_terminal)
        os.close(slave)
        self.fd = master
        self.seen = b""  # everything the terminal showed
        self.read = 0    # how far expect() has looked

    def _fill(self, deadline: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the shell has gone and closed its side
            return False
        self.seen += data
        return bool(data)

    def expect(self, pattern: bytes | re.Pattern, timeout: float = 30) -> re.Match:
        """Wait until ``pattern`` shows after what was already matched; return the match."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.monotonic() + timeout
        while not (found := regex.search(self.seen, self.read)):
            assert self._fill(deadline), f"no {regex.pattern!r} in {self.seen[self.read:]!r}"
        self.read = found.end()
        return found

    def prompt(self) -> tuple[bytes, int]:
        """Wait for the next prompt: (what came before it, the status it shows)."""
        start = self.read
        found = self.expect(PROMPT)
        return self.seen[start:found.start()], int(found.group(1) or 0)

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def interrupt(self) -> None:
        """Ctrl-C at the prompt. Python's readline sees a Ctrl-C only while it waits for a
        key: one that lands while it still draws the last key waits for the next key, so a
        Ctrl-C that shows no ^C is pressed again, as a learner would."""
        for _ in range(5):
            self.type(CTRL_C)
            try:
                self.expect(b"^C", timeout=3)
                return
            except AssertionError:
                continue
        raise AssertionError(f"Ctrl-C was not seen: {self.seen[self.read:]!r}")

    def line(self, text: str) -> tuple[bytes, int]:
        """Type a line and Enter; wait for the next prompt: (the output, the status)."""
        self.type(text.encode() + b"\r")
        return self.prompt()

    def wait(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self._fill(deadline):  # drain, so the shell is never blocked writing
            pass
        return self.process.wait(timeout=max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            self.type(b"exit\r")
            try:
                self.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.close(self.fd)


@pytest.fixture
def shell(data_root: Path):
    """Open ``dockersim shell`` terminals on a fresh data root; afterwards every one is
    closed, every container removed, and nothing of the data root is left running."""
    opened: list[Terminal] = []

    def open_terminal() -> Terminal:
        terminal = Terminal()
        opened.append(terminal)
        terminal.prompt()
        return terminal

    yield open_terminal
    for terminal in opened:
        terminal.close()
    cli = [sys.executable, "-m", "simulator"]
    ids = subprocess.run([*cli, "ps", "-aq", "--no-trunc"], capture_output=True, text=True, cwd=REPO).stdout.split()
    if ids:
        subprocess.run([*cli, "rm", "-f", *ids], capture_output=True, cwd=REPO)
    assert leftovers(data_root) == []


def test_a_detached_run_then_ps_shows_it(shell, tier):
    term = shell()
    output, status = term.line("docker run -d --name web busybox sleep 1000")  # Docker refuses one-letter names
    assert status == 0 and re.search(rb"\n[0-9a-f]{64}\r\n", output), output
    output, status = term.line("ps")
    assert status == 0
    rows = output.decode().splitlines()
    assert rows[1].split()[:2] == ["CONTAINER", "ID"] and rows[2].endswith(" web") and "Up " in rows[2]


def test_tab_completes_subcommands_containers_and_images(shell):
    term = shell()
    term.line("run -d --name worker busybox sleep 1000")
    output, status = term.line("pa\t")  # pause, and nothing more: docker asks for a container
    assert b"'docker pause' requires at least 1 argument" in output and status == 1
    output, status = term.line("stop -t 0 w\t")
    assert output.endswith(b"worker\r\n") and status == 0
    output, status = term.line("docker run --rm bu\techo completed")
    assert b"docker run --rm busybox:latest echo completed" in output
    assert output.endswith(b"completed\r\n") and status == 0


def test_the_store_is_read_afresh_so_other_terminals_count(shell):
    term = shell()
    term.line("pull busybox")
    subprocess.run([sys.executable, "-m", "simulator", "run", "-d", "--name", "elsewhere", "busybox", "sleep", "1000"],
                   check=True, capture_output=True, cwd=REPO)
    output, status = term.line("pause el\t")
    assert output.endswith(b"elsewhere\r\n") and status == 0
    output, _ = term.line("ps")
    assert b"(Paused)" in output


def test_up_recalls_the_last_line_and_the_history_outlives_the_session(shell, data_root):
    term = shell()
    first, _ = term.line("images")
    again, _ = term.line(UP.decode())
    assert again.count(b"REPOSITORY") == 1 and b"images" in again
    term.type(CTRL_D)
    assert term.wait() == 0
    assert (data_root / "shell-history").read_text().splitlines() == ["images"]  # typed twice, kept once
    term = shell()
    output, status = term.line(UP.decode())
    assert b"REPOSITORY" in output and status == 0


def test_ctrl_c_clears_the_line_and_the_shell_goes_on(shell):
    term = shell()
    term.type(b"rm half-typed")
    term.expect(b"half-typed")
    term.interrupt()
    _, status = term.prompt()
    assert status == 0
    output, status = term.line("version")
    assert b"Version:" in output and b"half-typed" not in output


def test_ctrl_d_leaves_with_status_0_even_after_a_failure(shell):
    term = shell()
    _, status = term.line("rm nothere")
    assert status == 1
    term.type(CTRL_D)
    assert term.wait() == 0


def test_the_prompt_shows_the_last_failed_status(shell):
    term = shell()
    output, status = term.line("rm nothere")
    assert b"Error response from daemon: No such container: nothere" in output
    assert status == 1 and term.seen.endswith(b"docker [1]> ")
    output, status = term.line("nosuch")
    assert b"docker: unknown command: docker nosuch" in output and status == 1
    output, status = term.line("ps 'open")
    assert b"cannot read this line: no closing quotation" in output and status == 2
    _, status = term.line("# a comment is no command")
    assert status == 2  # unchanged, as after a blank line
    _, status = term.line("ps")
    assert status == 0 and term.seen.endswith(b"docker> ")


def test_run_it_gives_the_terminal_to_the_container(shell, tier):
    term = shell()
    term.type(b"run -it --name box busybox sh\r")
    term.expect(b"# ")
    term.type(b"echo $((6*7)) > tmp/answer; cat tmp/answer\r")
    term.expect(b"42\r\n")
    term.type(b"exit 4\r")
    _, status = term.prompt()
    assert status == 4
    output, _ = term.line("diff box")
    assert output.endswith(b"C /tmp\r\nA /tmp/answer\r\n")


def test_after_exec_it_the_prompt_has_its_terminal_back(shell, tier):
    term = shell()
    term.line("run -d --name web busybox sleep 1000")
    term.type(b"exec -it web sh\r")  # busybox sh takes the terminal's foreground and keeps it
    term.expect(b"# ")
    term.type(b"exit\r")
    term.prompt()
    output, status = term.line("ps")
    assert status == 0 and output.rstrip().endswith(b" web")


def test_ctrl_c_in_an_attached_run_goes_to_the_container(shell):
    term = shell()
    term.type(b"""run busybox sh -c 'trap "echo got INT; exit 3" INT; echo ready; while :; do sleep 0.1; done'\r""")
    term.expect(b"ready\r\n")
    term.type(CTRL_C)
    output, status = term.prompt()
    assert b"got INT" in output and status == 3


def test_a_state_changing_line_draws_its_figure(shell, monkeypatch, tmp_path):
    figures = tmp_path / "figures"
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", str(figures))
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS_WAIT", "1")  # drawn before the prompt returns
    term = shell()
    _, status = term.line("create --name fig busybox true")
    assert status == 0
    names = sorted(p.name for p in figures.iterdir()) if figures.exists() else []
    if not names:
        pytest.skip("graphviz's dot is not installed, so no figure is drawn")
    assert names == ["0001-create.json", "0001-create.svg", "latest.svg"]
    assert "fig" in (figures / "latest.svg").read_text()


def test_piped_lines_run_without_a_prompt_and_give_the_last_status(data_root):
    script = "# a lesson\nrun -d --name lesson busybox sleep 1000\n\ndocker ps\nrm -f lesson\nrm lesson\n"
    result = subprocess.run([sys.executable, "-m", "simulator", "shell"], input=script, capture_output=True,
                            text=True, cwd=REPO, timeout=60)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"[0-9a-f]{64}", lines[0])
    assert lines[1].startswith("CONTAINER ID") and lines[2].endswith(" lesson") and lines[3] == "lesson"
    assert "docker>" not in result.stdout + result.stderr
    assert result.stderr.endswith("Error response from daemon: No such container: lesson\n")
    assert leftovers(data_root) == []


def test_piped_exit_stops_reading(data_root):
    def script(text: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "simulator", "shell"], input=text, capture_output=True,
                              text=True, cwd=REPO, timeout=60)

    result = script("version --nope\nexit\nps\n")
    assert result.returncode == 125 and "CONTAINER ID" not in result.stdout
    assert script("ps\nexit 7\n").returncode == 7


def test_exit_leaves_the_prompt_with_0_or_the_code_asked(shell):
    term = shell()
    term.line("rm nothere")
    term.type(b"exit\r")
    assert term.wait() == 0
    term = shell()
    term.type(b"quit 3\r")
    assert term.wait() == 3
