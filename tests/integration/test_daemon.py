"""The data root's daemon (simulator/daemon.py) and its thin client (simulator/client.py):
a command carried out by a forked worker behaves exactly as one run in its own process."""

from __future__ import annotations

import concurrent.futures
import os
import select
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from simulator.daemon import await_loaded, running
from tests.conftest import REPO, leftovers, stop_daemon

DOCKERSIM = [sys.executable, "-m", "simulator"]


def ended(pid: int) -> bool:
    """Whether process ``pid`` has ended: gone, or a zombie its new parent has yet to reap
    (the daemon is nobody's child)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.fixture
def served(data_root: Path, tier: str):
    """``dockersim`` through a daemon that already serves ``data_root`` (started, and waited
    for, by ``dockersim daemon start``); afterwards every container and the daemon are gone."""
    env = dict(os.environ, DOCKERSIM_DAEMON="auto")

    def run(*args: str, input: bytes | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
        return subprocess.run([*DOCKERSIM, *args], capture_output=True, input=input, cwd=cwd, env=env, timeout=60)

    assert run("pull", "busybox").returncode == 0
    started = run("daemon", "start")
    assert started.returncode == 0, started.stderr
    yield run
    ids = run("ps", "-aq", "--no-trunc").stdout.split()
    if ids:
        run("rm", "-f", *(i.decode() for i in ids))
    stop_daemon(data_root)
    assert leftovers(data_root) == []


def test_the_first_command_on_a_data_root_starts_its_daemon(data_root: Path, tier: str) -> None:
    env = dict(os.environ, DOCKERSIM_DAEMON="auto")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*DOCKERSIM, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=60)

    try:
        assert run("pull", "busybox").returncode == 0  # no data root before it: no daemon yet
        assert run("images", "-q").returncode == 0  # starts one, and runs in its own process meanwhile
        pid = running(str(data_root))
        assert pid is not None
        await_loaded(str(data_root))
        assert f"Daemon: pid {pid}, on {data_root / 'dockersim.sock'} (this command ran in a worker it forked)" \
            in run("info").stdout
    finally:
        stop_daemon(data_root)
    assert leftovers(data_root) == []


def test_a_command_runs_in_a_worker_of_the_daemon(served, data_root: Path) -> None:
    pid = running(str(data_root))
    assert pid is not None and Path(f"/proc/{pid}").exists()
    info = served("info").stdout.decode()
    assert f"Daemon: pid {pid}," in info and "ran in a worker it forked" in info
    assert "ran in a worker it forked" in served("docker", "info").stdout.decode()  # as typed from Docker's docs


def test_output_errors_and_exit_code_pass_through(served) -> None:
    done = served("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 4")
    assert (done.returncode, done.stdout, done.stderr) == (4, b"out\n", b"err\n")
    unknown = served("start", "no-such-container")
    assert unknown.returncode == 1
    assert unknown.stderr == b"Error response from daemon: No such container: no-such-container\n" \
                             b"Error: failed to start containers: no-such-container\n"


def test_standard_input_reaches_the_container(served) -> None:
    done = served("run", "-i", "--rm", "busybox", "cat", input=b"through the daemon\n")
    assert (done.returncode, done.stdout) == (0, b"through the daemon\n")


def test_relative_paths_are_the_callers(served, tmp_path: Path) -> None:
    """The worker works in the client's folder: ``save -o`` writes where the learner is."""
    folder = tmp_path / "here"
    folder.mkdir()
    done = served("save", "-o", "busybox.tar", "busybox", cwd=folder)
    assert done.returncode == 0, done.stderr
    with tarfile.open(folder / "busybox.tar") as archive:
        assert "manifest.json" in archive.getnames()


def test_parallel_creates_through_the_daemon_get_distinct_names(served) -> None:
    names = [f"par{i}" for i in range(16)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda n: served("create", "--name", n, "busybox", "true"), names))
    assert [r.returncode for r in results] == [0] * 16, [r.stderr for r in results]
    listed = [row.split()[-1] for row in served("ps", "-a").stdout.decode().splitlines()[1:]]
    assert sorted(listed) == sorted(names)
    again = served("create", "--name", "par0", "busybox", "true")
    assert again.returncode == 1 and b"is already in use" in again.stderr


def test_stop_ends_the_daemon_and_commands_go_on_without_it(served, data_root: Path) -> None:
    pid = running(str(data_root))
    stopped = served("daemon", "stop")
    assert stopped.stdout == f"stopped the daemon (pid {pid})\n".encode()
    assert ended(pid) and running(str(data_root)) is None
    assert not (data_root / "dockersim.sock").exists()
    alone = subprocess.run([*DOCKERSIM, "ps", "-q"], capture_output=True, cwd=REPO, timeout=60,
                           env=dict(os.environ, DOCKERSIM_DAEMON="off"))
    assert alone.returncode == 0 and running(str(data_root)) is None  # off: none was started


def test_a_daemon_running_old_code_gives_way(served, data_root: Path) -> None:
    """Code changed on disk: the daemon hands the command back and leaves; the command
    runs, and a fresh daemon serves from then on."""
    old = os.pidfd_open(running(str(data_root)))
    module = REPO / "simulator" / "locations.py"
    stamp = module.stat()
    try:
        os.utime(module, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
        done = served("ps", "-q")
        assert done.returncode == 0, done.stderr
        assert select.select([old], [], [], 30)[0], "the outdated daemon is still there"
    finally:
        os.utime(module, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        os.close(old)


def test_clients_killed_mid_command_leave_a_whole_store(served, data_root: Path) -> None:
    """Killing the client hangs up its worker at whatever point it has reached, as killing
    a command run in its own process would: the store reads whole all the same."""
    env = dict(os.environ, DOCKERSIM_DAEMON="auto")
    for round_ in range(8):
        args = ("run", "-d", "busybox", "sleep", "1000") if round_ % 2 else ("create", "busybox", "true")
        client = subprocess.Popen([*DOCKERSIM, *args], cwd=REPO, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep((round_ % 4) * 0.01)  # kill at a different moment each time, not to wait for anything
        client.kill()
        client.wait()
    stop_daemon(data_root)  # returns once every worker has ended
    ids = served("ps", "-aq", "--no-trunc").stdout.split()
    for cid in ids:
        inspected = served("inspect", cid.decode())
        assert inspected.returncode == 0, inspected.stderr
        assert served("diff", cid.decode()).returncode == 0


def test_another_copy_of_dockersim_runs_its_commands_itself(served, data_root: Path, tmp_path: Path) -> None:
    """One data root, two checkouts (or two virtual environments): the daemon serves only
    clients of its own copy; another copy's command runs in its own process, on its code."""
    other = tmp_path / "other"
    shutil.copytree(REPO / "simulator", other / "simulator", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, DOCKERSIM_DAEMON="auto", PYTHONPATH=str(other))
    done = subprocess.run([*DOCKERSIM, "info"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Daemon: pid" in done.stdout and "ran in a worker it forked" not in done.stdout
    assert "ran in a worker it forked" in served("info").stdout.decode()  # its own clients: as before


def test_the_worker_draws_the_figure_after_answering(served, data_root: Path, tmp_path: Path) -> None:
    """The client has its answer and its streams back before the figure is drawn; the
    figure still comes (the worker draws it, and the daemon's stop waits for its workers)."""
    figures = tmp_path / "figures"
    env = dict(os.environ, DOCKERSIM_DAEMON="auto", DOCKERSIM_DIAGRAMS=str(figures))
    env.pop("DOCKERSIM_DIAGRAMS_WAIT", None)
    done = subprocess.run([*DOCKERSIM, "create", "--name", "drawn", "busybox", "true"], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    stop_daemon(data_root)
    if not any(figures.glob("*.svg")) and shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed, so no figure is drawn")
    assert sorted(p.name for p in figures.iterdir()) == ["0001-create.json", "0001-create.svg", "latest.svg"]
    assert "drawn" in (figures / "latest.svg").read_text()


def test_a_client_gone_hangs_up_its_worker(served, data_root: Path) -> None:
    """A client killed mid-command (kill -9, a closed terminal) hangs up its worker, as a
    terminal's hangup ends a command run in process: an attached worker must not go on
    reading a terminal the learner's shell has got back."""
    assert served("run", "-d", "--name", "talker", "busybox", "sh", "-c", "echo ready; exec sleep 1000").returncode == 0
    daemon = running(str(data_root))
    follow = subprocess.Popen([*DOCKERSIM, "logs", "-f", "talker"], cwd=REPO, env=dict(os.environ, DOCKERSIM_DAEMON="auto"),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert follow.stdout.readline() == b"ready\n"  # the worker is following the log now
        workers = Path(f"/proc/{daemon}/task/{daemon}/children").read_text().split()
        assert len(workers) == 1
        worker = os.pidfd_open(int(workers[0]))
    finally:
        follow.kill()
        follow.wait()
    try:
        assert select.select([worker], [], [], 30)[0], "the worker of a killed client is still following the log"
    finally:
        os.close(worker)
