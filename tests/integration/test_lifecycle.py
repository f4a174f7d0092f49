"""The lifecycle on the real sandbox: real processes, real signals, real files."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from simulator.sandbox.namespaces import wait_for_exit
from simulator.sandbox.proot import is_proot, problem as proot_problem

pytestmark = pytest.mark.sandbox


def state(engine, name: str) -> dict:
    return json.loads(engine.inspect(name).stdout)[0]["State"]


def test_run_attached_prints_output_and_returns_the_exit_code(engine):
    step = engine.run("busybox", ["sh", "-c", "echo out; echo err >&2; exit 3"], name="r1")
    assert (step.stdout, step.stderr, step.exit_code) == ("out\n", "err\n", 3)
    s = state(engine, "r1")
    assert (s["Status"], s["ExitCode"], s["Running"]) == ("exited", 3, False)


def test_the_command_is_pid_1_in_its_own_namespaces(engine, tier):
    if tier == "process":
        pytest.skip("the process tier documents that it has no namespaces: the command is not PID 1")
    engine.run("busybox", ["sleep", "1000"], name="web", detach=True)
    assert engine.exec("web", ["cat", "/proc/1/cmdline"]).stdout == "sleep\x001000\x00"
    hostname = engine.exec("web", ["hostname"]).stdout.strip()
    assert hostname == json.loads(engine.inspect("web").stdout)[0]["Id"][:12]
    host_pid = state(engine, "web")["Pid"]
    assert os.readlink(f"/proc/{host_pid}/ns/pid") != os.readlink("/proc/self/ns/pid")
    assert os.readlink(f"/proc/{host_pid}/ns/mnt") != os.readlink("/proc/self/ns/mnt")


def test_files_a_process_writes_land_in_the_read_write_layer(engine):
    # relative paths from "/": the same files on both tiers (the process tier's absolute
    # paths would be the host's)
    engine.run("busybox", ["sh", "-c", "mkdir newdir; echo x > newdir/f; rm bin/ls; touch tmp/t"], name="w1", workdir="/")
    record = engine.store.containers.lookup("w1")
    upper = engine._snap(record).upper(record.id)
    assert (upper / "newdir" / "f").read_text() == "x\n"
    assert engine.diff("w1").stdout.splitlines() == [
        "C /bin", "D /bin/ls", "A /newdir", "A /newdir/f", "C /tmp", "A /tmp/t",
    ]
    # the image's layer is untouched
    layer = engine._layers(engine.store.containers.lookup("w1").image_id)[0]
    assert (layer / "bin" / "ls").is_symlink()


def test_stop_without_a_term_handler_waits_the_grace_period_then_kills(engine, tier):
    engine.run("busybox", ["sleep", "1000"], name="sl", detach=True)
    started = time.monotonic()
    assert engine.stop("sl", timeout=1).stdout == "sl\n"
    elapsed = time.monotonic() - started
    s = state(engine, "sl")
    if tier == "process":  # documented: not PID 1, so SIGTERM ends it at once
        assert (s["Status"], s["ExitCode"]) == ("exited", 143)
        assert elapsed < 1.0
    else:
        assert (s["Status"], s["ExitCode"]) == ("exited", 137)
        assert elapsed >= 1.0


def test_stop_with_a_term_handler_ends_with_the_handlers_code(engine):
    engine.run("busybox", ["sh", "-c", 'trap "exit 7" TERM; while true; do sleep 0.1; done'], name="tr", detach=True)
    started = time.monotonic()
    engine.stop("tr", timeout=10)
    assert time.monotonic() - started < 5
    assert state(engine, "tr")["ExitCode"] == 7


def test_kill_sends_sigkill(engine):
    engine.run("busybox", ["sleep", "1000"], name="kk", detach=True)
    pid = state(engine, "kk")["Pid"]
    assert engine.kill("kk").ok
    assert wait_for_exit(pid, 0)  # already gone
    assert state(engine, "kk")["ExitCode"] == 137


def test_pause_freezes_every_process(engine):
    engine.run("busybox", ["sh", "-c", "sleep 1000 & sleep 1000"], name="pz", detach=True)
    # and one more that an exec leaves behind: an exec joins the freezer too
    assert engine.exec("pz", ["sh", "-c", "sleep 1000 >/dev/null 2>&1 &"]).ok
    record = engine.store.containers.lookup("pz")
    pids = engine._rt(record).pids(record.pid)
    assert len(pids) >= 3
    assert engine.pause("pz").ok
    assert state(engine, "pz")["Paused"] is True
    freezer = Path("/sys/fs/cgroup/freezer/dockersim") / record.id
    if freezer.exists():
        assert (freezer / "freezer.state").read_text().strip() == "FROZEN"
        members = {int(p) for p in (freezer / "cgroup.procs").read_text().split()}
        # and, on the process tier with PRoot, the tracers that run them (frozen as well)
        assert set(pids) <= members and all(is_proot(p) for p in members - set(pids))
    else:
        for pid in pids:
            assert Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"
    assert not engine.exec("pz", ["true"]).ok
    assert engine.unpause("pz").ok
    assert engine.exec("pz", ["true"]).ok


def test_a_process_that_exits_by_itself_is_seen_by_whoever_looks_next(engine, cli):
    engine.run("busybox", ["sh", "-c", "exit 4"], name="ex", detach=True)
    assert engine.wait("ex").stdout == "4\n"
    listing = cli("ps", "-a").stdout
    assert "Exited (4)" in listing


def test_exec_of_a_missing_command_is_126_with_dockers_message(engine):
    engine.run("busybox", ["sleep", "1000"], name="ee", detach=True)
    step = engine.exec("ee", ["nosuchcmd"])
    assert step.exit_code == 126
    assert step.stdout == ('OCI runtime exec failed: exec failed: unable to start container process: '
                           'exec: "nosuchcmd": executable file not found in $PATH: unknown\r\n')


def test_run_of_a_missing_command_leaves_a_created_container(engine):
    step = engine.run("busybox", ["nosuchcmd"], name="nc")
    assert step.exit_code == 127
    assert step.stderr.startswith("docker: Error response from daemon: failed to create shim task")
    s = state(engine, "nc")
    assert (s["Status"], s["ExitCode"]) == ("created", 127)


def test_logs_keep_stdout_and_stderr_apart_across_runs(engine):
    engine.run("busybox", ["sh", "-c", "echo a; echo b >&2"], name="lg")
    engine.start("lg", attach=True)
    logs = engine.logs("lg")
    assert (logs.stdout, logs.stderr) == ("a\na\n", "b\nb\n")


def test_rm_force_ends_the_process_and_removes_everything(engine):
    engine.run("busybox", ["sleep", "1000"], name="gone", detach=True)
    record = engine.store.containers.lookup("gone")
    assert engine.rm("gone", force=True).stdout == "gone\n"
    assert wait_for_exit(record.pid, 0)
    assert not engine.store.containers.dir(record.id).exists()
    assert engine.ps(all=True).stdout.count("\n") == 1  # the header only


def test_run_rm_removes_the_container_when_it_exits(engine):
    step = engine.run("busybox", ["echo", "hi"], rm=True)
    assert step.stdout == "hi\n"
    assert engine.store.containers.all() == []


def test_restart_keeps_the_read_write_layer(engine):
    engine.run("busybox", ["sh", "-c", "date >> runs; exec sleep 1000"], name="rs", detach=True, workdir="/tmp")
    _until_lines(engine, "rs", "runs", 1)  # the first run has written before the restart kills it
    first = state(engine, "rs")["StartedAt"]
    assert engine.restart("rs", timeout=0).ok
    assert state(engine, "rs")["StartedAt"] != first
    _until_lines(engine, "rs", "runs", 2)
    assert len(engine.exec("rs", ["cat", "runs"]).stdout.splitlines()) == 2


def _until_lines(engine, container: str, path: str, count: int) -> None:
    """Block (inside the container, up to 10 s) until ``path`` has ``count`` lines."""
    wait = f'for i in $(seq 1000); do [ "$(cat {path} 2>/dev/null | wc -l)" -ge {count} ] && exit 0; usleep 10000; done; exit 1'
    assert engine.exec(container, ["sh", "-c", wait]).ok, f"{path} never reached {count} lines"


def test_workdir_is_created_at_create_time_in_the_read_write_layer(engine, tier):
    engine.create("busybox", ["pwd"], name="wd", workdir="/work/dir")
    assert engine.diff("wd").stdout == "A /work\nA /work/dir\n"
    cwd = engine.start("wd", attach=True).stdout
    if tier == "process" and proot_problem():  # documented: without PRoot, the working directory is inside the copy, seen from the host
        assert cwd.endswith("/rootfs/work/dir\n")
    else:
        assert cwd == "/work/dir\n"


def test_names_and_id_prefixes_resolve_as_docker_does(engine):
    engine.create("busybox", ["true"], name="one")
    dup = engine.create("busybox", ["true"], name="one")
    assert dup.exit_code == 1 and 'The container name "/one" is already in use' in dup.stderr
    bad = engine.create("busybox", ["true"], name="x")
    assert bad.stderr == ("Error response from daemon: Invalid container name (x), only "
                          "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n")
    cid = engine.store.containers.lookup("one").id
    assert engine.rm(cid[:5]).stdout == f"{cid[:5]}\n"
    generated = engine.create("busybox", ["true"])
    name = engine.store.containers.lookup(generated.stdout.strip()).name
    adjective, _, surname = name.partition("_")
    assert adjective and surname


def test_each_name_of_several_gets_its_own_answer(engine):
    engine.create("busybox", ["true"], name="aa")
    step = engine.stop("aa", "nosuch", timeout=1)
    assert step.stdout == "aa\n"
    assert step.stderr == "Error response from daemon: No such container: nosuch\n"
    assert step.exit_code == 1


def test_two_starts_at_once_make_one_process(engine):
    import concurrent.futures

    engine.create("busybox", ["sleep", "1000"], name="twice")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        steps = list(pool.map(lambda _: engine.start("twice"), range(2)))
    assert [s.exit_code for s in steps] == [0, 0]
    record = engine.store.containers.lookup("twice")
    assert engine._rt(record).pids(record.pid) == [record.pid]
    shims = [p for p in os.listdir("/proc")  # (a PRoot names the container's root too)
             if p.isdigit() and record.id.encode() in _cmdline(p) and not is_proot(int(p))]
    assert len(shims) == 1


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_container_cannot_write_the_hosts_files(engine, tier, tmp_path):
    from simulator.sandbox.landlock import abi_version

    if tier == "process" and not abi_version():
        pytest.skip("this kernel has no Landlock: the process tier cannot confine writes here (info says so)")
    host_file = tmp_path / "host-file"
    step = engine.run("busybox", ["sh", "-c", f"echo x > {host_file}"])
    assert step.exit_code != 0
    assert not host_file.exists()


def test_a_killed_shim_leaves_an_exited_container_and_no_process(engine):
    import signal

    engine.run("busybox", ["sleep", "1000"], name="orphan", detach=True)
    record = engine.store.containers.lookup("orphan")
    os.kill(record.shim_pid, signal.SIGKILL)
    assert wait_for_exit(record.shim_pid, 5)
    s = state(engine, "orphan")
    assert (s["Status"], s["ExitCode"]) == ("exited", 255)
    assert wait_for_exit(record.pid, 5)  # PID 1 did not outlive its shim


def test_exec_d_returns_while_its_command_runs_in_the_container(engine):
    engine.run("busybox", ["sleep", "1000"], name="bg", detach=True)
    step = engine.exec("bg", ["sleep", "1001"], detach=True)
    assert (step.exit_code, step.stdout, step.stderr) == (0, "", "")
    record = engine.store.containers.lookup("bg")
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in engine._rt(record).pids(record.pid)]
    assert b"sleep\x001001\x00" in commands  # running, as one of the container's processes
    failed = engine.exec("bg", ["nosuchcmd"], detach=True)
    assert failed.exit_code == 1 and failed.stderr.startswith(
        'Error response from daemon: OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd"')
    assert engine.stop("bg", timeout=0).ok  # and it ends with the container (the fixture checks for leaks)
