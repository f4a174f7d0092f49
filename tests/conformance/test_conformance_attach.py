"""``docker attach`` and the detach keys, on both engines: its refusals, its exit code, the
output it shows (from the moment it attaches), and Ctrl-P Ctrl-Q typed into a real
pseudo-terminal in ``run -it``, ``attach`` and ``start -ai``."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time

from tests.conformance.conftest import COMMAND_TIMEOUT, REPO

DETACH = b"\x10\x11"  # Ctrl-P Ctrl-Q
PROMPT = re.compile(rb"# ")


class Pty:
    """One command on a pseudo-terminal that is its controlling terminal (stdin and stdout),
    its stderr on a pipe, so what it says about itself can be told from the container's
    output."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=REPO,
                                        preexec_fn=controlling_terminal)
        os.close(slave)
        self.fd = master
        self.seen = b""

    def _fill(self, deadline: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the command has gone and closed its side
            return False
        self.seen += data
        return bool(data)

    def expect(self, pattern: re.Pattern) -> bool:
        """Wait until ``pattern`` shows; False if the command went quiet or ended first."""
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while not pattern.search(self.seen):
            if not self._fill(deadline):
                return False
        return True

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def finish(self) -> tuple[int | str, str]:
        """Wait for the command to end: (its exit code or "timed out", its stderr)."""
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while self._fill(deadline):  # drain, so it is never blocked writing
            pass
        try:
            code: int | str = self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = "timed out"
        err = self.process.stderr.read().decode(errors="replace")
        self.process.stderr.close()
        os.close(self.fd)
        return code, err


def _on_terminal(rec, label: str, args: list[str], keys: list[bytes]) -> None:
    """Run ``docker ARGS`` on a terminal; at each prompt type the next keys; record how it ended."""
    pty = Pty([*rec.cli.argv, *args], rec.cli.env)
    for typed in keys:
        if not pty.expect(PROMPT):
            break
        pty.seen = b""
        pty.type(typed)
    code, err = pty.finish()
    rec.note(f"{label}: exit code", code)
    rec.note(f"{label}: stderr", err)


def test_detach_keys_leave_the_container_running(engines):
    """Ctrl-P Ctrl-Q: ``run -it`` and ``start -ai`` end quietly (0), ``attach`` says "read escape
    sequence" (1); the container runs on, and an attach that stays gets its exit code."""
    name = engines.name("detach")

    def scenario(rec):
        _on_terminal(rec, "run -it, then Ctrl-P Ctrl-Q", ["run", "-it", "--name", name, "busybox", "sh"],
                     [b"echo $((6*7))\r", DETACH])
        rec.state(name)
        _on_terminal(rec, "attach, then Ctrl-P Ctrl-Q", ["attach", name], [DETACH])
        rec.state(name)
        _on_terminal(rec, "attach --detach-keys ctrl-a,x, then them", ["attach", "--detach-keys", "ctrl-a,x", name],
                     [b"\x01x"])
        rec.state(name)
        # a first detach key is held until the next one decides: here both reach the shell
        _on_terminal(rec, "attach --detach-keys ctrl-a,x, then ctrl-a and a command",
                     ["attach", "--detach-keys", "ctrl-a,x", name], [b"\x01exit 4\r"])
        rec.state(name)
        _on_terminal(rec, "start -ai, then Ctrl-P Ctrl-Q", ["start", "-ai", name], [DETACH])
        rec.state(name)

    engines.compare(scenario)


def test_attach_refuses_stopped_paused_and_missing_containers(engines):
    created, paused, tty = engines.name("att-created"), engines.name("att-paused"), engines.name("att-tty")

    def scenario(rec):
        rec.setup("create", "--name", created, "busybox", "sleep", "100")
        rec.run("attach", created)
        rec.run("attach", "--detach-keys", "foo", created)
        rec.setup("run", "-d", "--name", paused, "busybox", "sleep", "100")
        rec.setup("pause", paused)
        rec.run("attach", paused)
        rec.setup("unpause", paused)
        rec.run("attach", "--no-stdin", "--detach-keys", "foo", paused)
        rec.run("run", "-dit", "--name", tty, "busybox", "sh")  # detached: no terminal needed
        rec.run("attach", tty)  # stdin is not a terminal
        rec.run("attach", "--no-stdin", "--detach-keys", "foo", tty)
        rec.run("attach", "nosuch-container-cf")
        rec.run("attach")
        rec.run("attach", created, paused)
        rec.setup("kill", paused, expect=None)
        rec.run("attach", paused)
        rec.state(paused)

    engines.compare(scenario)


def test_attach_streams_from_now_on_and_ends_with_the_containers_exit_code(engines):
    name = engines.name("att-live")

    def scenario(rec):
        rec.setup("run", "-d", "--name", name, "busybox", "sh", "-c",  # relative paths: the process tier's too
                  "echo before; while [ ! -e tmp/go ]; do echo tick; sleep 0.1; done; echo done; exit 5")
        with subprocess.Popen([*rec.cli.argv, "attach", "--no-stdin", name], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=rec.cli.env, cwd=REPO) as attach:
            first = attach.stdout.readline()  # attached: output arrives
            rec.cli("exec", name, "touch", "tmp/go")
            try:
                rest, err = attach.communicate(timeout=COMMAND_TIMEOUT)
            except subprocess.TimeoutExpired:
                attach.kill()
                rest, err = attach.communicate()
        lines = (first + rest).decode().splitlines()
        rec.note("attach: exit code", attach.returncode)
        rec.note("attach: stderr", err.decode())
        rec.note("attach: the output before it attached", [line for line in lines if line == "before"])
        rec.note("attach: ticks until released, then", [line for line in lines if line != "tick"])
        rec.state(name)

    engines.compare(scenario)


def _attach_then_signal(rec, label: str, name: str, extra: list[str], sig: int, times: int) -> None:
    """``attach EXTRA NAME``; once its output flows, send it ``sig`` ``times`` times, a moment
    apart (signals sent at once merge into one); record how it ended."""
    with subprocess.Popen([*rec.cli.argv, "attach", *extra, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, env=rec.cli.env, cwd=REPO) as attach:
        attach.stdout.readline()  # a tick: attached
        for _ in range(times):
            attach.send_signal(sig)
            time.sleep(0.3)  # pacing, not synchronisation: each signal must arrive on its own
        try:
            out, err = attach.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            attach.kill()
            out, err = attach.communicate()
    rec.note(f"{label}: exit code", attach.returncode)
    rec.note(f"{label}: stderr", err.decode())
    rec.note(f"{label}: what the trap printed", [line for line in out.decode().splitlines() if line != "tick"])


def test_attach_passes_signals_on_unless_told_not_to(engines):
    """``--sig-proxy`` (the default): SIGTERM reaches the container's trap, whose exit code
    ends the attach. ``--sig-proxy=false``: signals reach neither; the third ends the client."""
    import signal

    name = engines.name("att-sig")

    def scenario(rec):
        rec.setup("run", "-d", "--name", name, "busybox", "sh", "-c",
                  'trap "echo term; exit 7" TERM; while true; do echo tick; sleep 0.1; done')
        _attach_then_signal(rec, "attach --sig-proxy=false, 3 SIGINTs", name, ["--sig-proxy=false"], signal.SIGINT, 3)
        rec.state(name)
        _attach_then_signal(rec, "attach, SIGTERM", name, [], signal.SIGTERM, 1)
        rec.state(name)

    engines.compare(scenario)


def test_run_and_start_take_detach_keys_too(engines):
    """``--detach-keys`` of ``run`` and ``start``: Docker's daemon refuses unreadable ones when
    the attach is asked for, before the start (exit 1, the container stays Created)."""
    refused, custom = engines.name("keys-refused"), engines.name("keys-custom")

    def scenario(rec):
        rec.run("run", "--name", refused, "--detach-keys", "foo", "busybox", "echo", "hi")
        rec.state(refused)
        rec.run("start", "-a", "--detach-keys", "ctrl-", refused)
        rec.state(refused)
        _on_terminal(rec, "run -it --detach-keys ctrl-a,x, then them",
                     ["run", "-it", "--detach-keys", "ctrl-a,x", "--name", custom, "busybox", "sh"], [b"\x01x"])
        rec.state(custom)
        rec.setup("kill", custom)
        _on_terminal(rec, "start -ai --detach-keys ctrl-a,x, then them",
                     ["start", "-ai", "--detach-keys", "ctrl-a,x", custom], [b"\x01x"])
        rec.state(custom)

    engines.compare(scenario)
