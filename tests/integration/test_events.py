"""``docker events`` on the real sandbox: following through the CLI and the daemon, the
shim's own ``die``, Ctrl-C, an ``--until`` in the future, and the Python API."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.sandbox


class Following:
    """``dockersim events ARGS`` in the background, read line by line as it prints."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "simulator", "events", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=REPO, env=dict(os.environ, DOCKERSIM_DAEMON="auto"))
        self.buffer = b""

    def line(self, timeout: float = 30) -> str:
        """The next line, awaited (a select on the pipe, not a sleep)."""
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        try:
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                assert left > 0 and selector.select(left), f"no line within {timeout} s: {self.buffer!r}"
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                assert chunk, f"events ended: {self.proc.stderr.read()!r}"
                self.buffer += chunk
        finally:
            selector.close()
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def following():
    started: list[Following] = []

    def start(*args: str) -> Following:
        started.append(Following(*args))
        return started[-1]

    yield start
    for follower in started:
        follower.close()


def test_a_follower_sees_each_transition_as_it_happens_and_ctrl_c_ends_it(cli, following):
    follower = following("--filter", "container=evf", "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}")
    cli("run", "-d", "--name", "evf", "busybox", "sleep", "1000", check=True)
    assert [follower.line(), follower.line()] == ["create <no value>", "start <no value>"]
    cli("kill", "evf", check=True)
    assert [follower.line(), follower.line()] == ["kill <no value>", "die 137"]
    cli("rm", "evf", check=True)
    assert follower.line() == "destroy <no value>"
    follower.proc.send_signal(signal.SIGINT)
    assert follower.proc.wait(30) in (130, -signal.SIGINT)  # as Docker's CLI: ended by the signal
    assert follower.proc.stderr.read() == b""


def test_the_shim_tells_the_die_of_a_process_that_ends_by_itself_and_the_destroy_of_rm(cli, following):
    follower = following("--filter", "event=die", "--filter", "event=destroy")
    cli("run", "-d", "--rm", "--name", "evself", "busybox", "sh", "-c", "exit 3", check=True)
    die, destroy = follower.line(), follower.line()
    assert " container die " in die and die.endswith("(exitCode=3, image=busybox, name=evself)")
    assert " container destroy " in destroy and destroy.endswith("(image=busybox, name=evself)")


def test_an_until_in_the_future_follows_until_then(cli):
    cli("create", "--name", "evu", "busybox", check=True)
    begun = time.monotonic()
    until = f"{time.time() + 1.5:.3f}"
    shown = cli("events", "--since", "1m", "--until", until, "--filter", "event=create", "--format", "{{.Actor.Attributes.name}}")
    assert (shown.returncode, shown.stdout, shown.stderr) == (0, "evu\n", "")
    assert 1.0 < time.monotonic() - begun < 30


def test_the_python_api_and_the_magics_line(engine):
    from simulator.cli.commands import run_line

    engine.create("busybox", ["true"], name="evapi")
    # until now: no following (not "0s": a duration counts in whole seconds, as Docker's CLI counts)
    step = engine.events(since="1m", until=f"{time.time():.9f}", filters=["type=container"], format="{{.Action}} {{.Actor.Attributes.name}}")
    assert (step.exit_code, step.stdout) == (0, "create evapi\n")
    line = run_line(engine, f"docker events --since 1m --until {time.time():.9f} --filter event=create")
    assert line.exit_code == 0 and line.stdout.endswith(" (image=busybox, name=evapi)\n")
    bad = run_line(engine, "events --since nope")
    assert (bad.exit_code, bad.stderr) == (1, 'failed to parse value as time or duration: "nope"\n')
