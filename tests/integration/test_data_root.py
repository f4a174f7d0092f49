"""A data root that cannot be used, and one whose disk is full.

A wrong ``DOCKERSIM_ROOT`` (under ``/proc``, through a file, a file itself, read-only,
another user's) is told on one line, with the OS's words and what to do, exit 1, by every
front end: the CLI in its own process and through the daemon, the shell, ``Engine()``, the
notebook magics. A full disk (a small tmpfs as the data root) fails a commit, a build, a
pull or a create in Docker's words and leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO, leftovers, sandbox_unavailable, stop_daemon
from tests.integration import restricted

TO_DO = "set DOCKERSIM_ROOT to a folder you can write"


def dockersim(*args: str, root: Path | str, daemon: bool = False, input: str | None = None,
              user: tuple[int, Path] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """``dockersim ARGS`` on data root ``root``: in its own process or through the daemon;
    as ``user`` (uid and the interpreter of its own copy, through restricted.py, which needs
    root) or as ourselves."""
    env = dict(os.environ, DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS="off",
               DOCKERSIM_DAEMON="auto" if daemon else "off")
    command = [sys.executable, "-m", "simulator", *args]
    if user is not None:
        uid, python = user
        command = restricted.command(uid, [str(python), "-m", "simulator", *args])
    return subprocess.run(command, capture_output=True, text=True, env=env, input=input, cwd=cwd, timeout=120)


def assert_told(result: subprocess.CompletedProcess, root: str, cause: str) -> None:
    """One line naming the root, the OS's words and what to do; exit 1; nothing else."""
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"dockersim: cannot use {root} as the data root (")
    assert cause in lines[0] and lines[0].endswith(f"): {TO_DO}")


@pytest.fixture
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="dockersim-dataroot-"))
    os.chmod(folder, 0o755)  # another user may pass through it
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _through_a_file(scratch: Path) -> tuple[str, str]:
    (scratch / "a-file").write_text("x")
    return str(scratch / "a-file" / "root"), "Not a directory"


def _a_file(scratch: Path) -> tuple[str, str]:
    (scratch / "a-file").write_text("x")
    return str(scratch / "a-file"), "Not a directory"


def _under_proc(scratch: Path) -> tuple[str, str]:
    return "/proc/nope/root", "No such file or directory"


UNUSABLE = {"under /proc": _under_proc, "through a file": _through_a_file, "an existing file": _a_file}


@pytest.mark.parametrize("case", list(UNUSABLE))
@pytest.mark.parametrize("daemon", [False, True], ids=["own process", "daemon"])
def test_an_unusable_root_is_told_on_one_line_by_the_cli(scratch, case, daemon):
    root, cause = UNUSABLE[case](scratch)
    for args in (["ps"], ["images"], ["run", "busybox", "true"], ["daemon", "start"]):
        assert_told(dockersim(*args, root=root, daemon=daemon), root, cause)
    assert not (scratch / "a-file").is_dir()  # nothing was made in place of the file


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_the_shell_says_it_for_each_line(scratch, case):
    root, cause = UNUSABLE[case](scratch)
    result = dockersim("shell", root=root, input="ps\nimages\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]] * 2
    assert cause in result.stderr and TO_DO in result.stderr


def test_the_daemon_run_by_hand_says_it(scratch):
    root, cause = _through_a_file(scratch)
    result = subprocess.run([sys.executable, "-m", "simulator.daemon", root], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert_told(result, root, cause)


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_engine_raises_the_projects_error(scratch, case):
    from simulator.engine import Engine
    from simulator.model.errors import DataRootError, DockerError

    root, cause = UNUSABLE[case](scratch)
    with pytest.raises(DataRootError) as caught:
        Engine(root)
    assert isinstance(caught.value, DockerError) and not isinstance(caught.value, OSError)
    assert caught.value.exit_code == 1 and cause in str(caught.value) and root in str(caught.value)


def test_the_notebook_magics_say_it_without_a_traceback(scratch, monkeypatch):
    pytest.importorskip("IPython")
    from IPython.core.error import UsageError

    from simulator import notebook

    root, cause = _through_a_file(scratch)
    monkeypatch.setenv("DOCKERSIM_ROOT", root)
    monkeypatch.setattr(notebook, "_engine", None)
    magics = {}

    class Shell:  # what load_ipython_extension needs of IPython's shell
        def register_magic_function(self, function, kind, name):
            magics[kind] = function

    notebook.load_ipython_extension(Shell())
    for call in (lambda: magics["line"]("ps"), lambda: magics["cell"]("", "ps\nimages\n")):
        with pytest.raises(UsageError) as caught:  # IPython shows a UsageError as its message alone
            call()
        assert str(caught.value).startswith(f"dockersim: cannot use {root} as the data root")
        assert cause in str(caught.value)


# ----------------------------------------------------------------- permissions
@pytest.fixture
def other_user(request: pytest.FixtureRequest) -> tuple[int, Path] | None:
    """Who to run as so that permissions count: ourselves if we are not root (root passes
    every permission check), else ``restricted.UID`` with its own copy of dockersim."""
    if os.geteuid() != 0:
        return None
    return restricted.UID, request.getfixturevalue("restricted_python")


@pytest.mark.parametrize("daemon", [False, True], ids=["own process", "daemon"])
def test_a_read_only_folder_is_told(scratch, daemon, other_user):
    user = other_user
    root = scratch / "read-only"
    root.mkdir(mode=0o555)
    root.chmod(0o555)
    for args in (["ps"], ["create", "busybox"], ["daemon", "start"]):
        assert_told(dockersim(*args, root=root, daemon=daemon, user=user, cwd=scratch), str(root), "Permission denied")
    assert list(root.iterdir()) == []


def test_another_users_folder_is_told(scratch, other_user):
    user = other_user
    root = scratch / "theirs"
    root.mkdir(mode=0o755)
    if os.geteuid() == 0:
        os.chown(root, 0, 0)  # root's own; we run as UID
    else:
        pytest.skip("a folder of another user needs root to make (chown)")
    assert_told(dockersim("ps", root=root, user=user, cwd=scratch), str(root), "Permission denied")
    assert_told(dockersim("ps", root=root / "sub", user=user, cwd=scratch), str(root / "sub"), "Permission denied")


@contextlib.contextmanager
def mounted(target: Path, *options: str):
    """``mount OPTIONS target`` for the block, unmounted whatever happens."""
    subprocess.run(["mount", *options, str(target)], check=True, capture_output=True)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


def need_root(why: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"{why} needs root (mount)")


def test_a_read_only_mount_answers_queries_and_tells_why_it_cannot_change(scratch):
    need_root("a read-only bind mount")
    store = scratch / "store"
    assert dockersim("pull", "busybox", root=store).returncode == 0
    view = scratch / "view"
    view.mkdir()
    with mounted(view, "--bind", "-o", "ro", str(store)):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        images = dockersim("images", root=view)
        assert images.returncode == 0 and "busybox" in images.stdout  # reading needs no writing
        for args in (["create", "busybox"], ["run", "busybox", "true"], ["rmi", "busybox"], ["pull", "busybox"]):
            result = dockersim(*args, root=view)
            assert "Read-only file system" in result.stderr and TO_DO in result.stderr, result
            assert result.returncode == 1 and "Traceback" not in result.stderr
    assert dockersim("images", "-q", root=store).stdout.strip() != ""  # untouched


# ----------------------------------------------------------------- a full disk
NO_SPACE = "no space left on device"


@pytest.fixture
def small_disk(scratch):
    """A 32 MiB tmpfs as the data root (busybox takes about 4 of it), unmounted afterwards."""
    need_root("a small tmpfs as the data root")
    reason = sandbox_unavailable()
    if reason:
        pytest.skip(reason)
    root = scratch / "root"
    root.mkdir()
    with mounted(root, "-t", "tmpfs", "-o", "size=32m", "tmpfs"):
        try:
            yield root
        finally:
            ids = dockersim("ps", "-aq", "--no-trunc", root=root).stdout.split()
            if ids:
                dockersim("rm", "-f", *ids, root=root)
            stop_daemon(root)
    assert leftovers(root) == []  # unmounted: no process, mount or cgroup of it is left


DAEMON_FILES = ("dockersim.pid", "dockersim.loading", "dockersim.sock", "daemon.log")  # not the store's


def state(root: Path) -> tuple[str, str, str, list[str]]:
    """What a learner and the store see: ``images -a``, ``ps -a`` (without its clock-bound
    columns), each container's ``diff``, and every file name outside the read-write layers."""
    containers = dockersim("ps", "-a", "--format", "{{.ID}} {{.Image}} {{.Command}} {{.Names}}", root=root).stdout
    diffs = "".join(dockersim("diff", line.split()[0], root=root).stdout for line in containers.splitlines())
    names = sorted(str(p.relative_to(root)) for p in root.rglob("*") if not {"upper", "work", "rootfs"} & set(p.parts)
                   and p.name not in DAEMON_FILES)
    return (dockersim("images", "-a", root=root).stdout, containers, diffs, names)


def fill(root: Path, name: str, mib: int) -> None:
    # tmp/NAME, from the container's working folder "/": the process tier may lack a root of its own
    result = dockersim("run", "--name", name, "busybox", "dd", "if=/dev/zero", f"of=tmp/{name}", "bs=1M",
                       f"count={mib}", root=root)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("daemon", [False, True], ids=["own process", "daemon"])
def test_a_commit_that_runs_out_of_space_leaves_the_store_as_it_was(small_disk, tier, daemon):
    root = small_disk
    assert dockersim("pull", "busybox", root=root).returncode == 0
    fill(root, "filler", 12)
    fill(root, "big", 6)  # the commit needs it twice more (the layer's tar and its files)
    before = state(root)
    failed = dockersim("commit", "big", "big:v1", root=root, daemon=daemon)
    assert (failed.returncode, failed.stdout) == (1, "")
    assert failed.stderr == f"Error response from daemon: Error processing tar file(exit status 1): write /tmp/big: {NO_SPACE}\n"
    assert state(root) == before  # no half layer, no image, no tag; the container as it was
    assert dockersim("rm", "filler", root=root).returncode == 0  # space again
    done = dockersim("commit", "big", "big:v1", root=root, daemon=daemon)
    assert done.returncode == 0, done.stderr
    assert "big" in dockersim("images", "big", root=root).stdout


def test_a_build_that_fills_the_disk_fails_as_docker_says(small_disk, tmp_path):
    root = small_disk
    assert dockersim("pull", "busybox", root=root).returncode == 0
    before = dockersim("images", "-a", root=root).stdout
    context = tmp_path / "context"
    context.mkdir()
    # a RUN that fills the disk: its command fails, as anywhere
    (context / "Dockerfile").write_text("FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=64\n")
    run = dockersim("build", "-t", "fat", str(context), root=root)
    assert run.returncode == 1
    assert run.stderr.endswith("The command '/bin/sh -c dd if=/dev/zero of=/big bs=1M count=64' returned a non-zero code: 1\n")
    assert dockersim("images", "-a", root=root).stdout == before
    assert "Exited (1)" in dockersim("ps", "-a", root=root).stdout  # the failed step's container stays, as Docker's
    assert dockersim("rm", *dockersim("ps", "-aq", root=root).stdout.split(), root=root).returncode == 0
    # a RUN that fits, whose commit does not
    fill(root, "filler", 12)
    (context / "Dockerfile").write_text("FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=6\n")
    commit = dockersim("build", "-t", "fat", str(context), root=root)
    assert commit.returncode == 1
    assert commit.stderr.endswith(f"\nError processing tar file(exit status 1): write /big: {NO_SPACE}\n")
    assert dockersim("images", "-a", root=root).stdout == before  # no new image, no tag
    assert not [p for p in (root / "layers").iterdir() if p.name.startswith(".")]


def test_a_create_or_a_run_on_a_full_disk(small_disk):
    root = small_disk
    assert dockersim("pull", "busybox", root=root).returncode == 0
    filler = dockersim("run", "--name", "filler", "busybox", "dd", "if=/dev/zero", "of=/filler", "bs=1M", root=root)
    assert filler.returncode == 1  # dd's words may be lost with the log line the disk refused
    assert "Exited (1)" in dockersim("ps", "-a", root=root).stdout  # its end was recorded all the same
    before = state(root)
    create = dockersim("create", "busybox", root=root)
    assert create.returncode == 1 and create.stdout == ""
    assert create.stderr.startswith("Error response from daemon: write ") and create.stderr.endswith(f": {NO_SPACE}\n")
    run = dockersim("run", "busybox", "true", root=root)
    assert run.returncode == 125
    assert run.stderr.startswith("docker: Error response from daemon: write ")
    assert run.stderr.endswith(f": {NO_SPACE}\n\nRun 'docker run --help' for more information\n")
    assert state(root) == before
    assert dockersim("rm", "filler", root=root).returncode == 0
    assert dockersim("run", "--rm", "busybox", "true", root=root).returncode == 0  # space again


def test_a_pull_that_does_not_fit(scratch):
    need_root("a small tmpfs as the data root")
    root = scratch / "tiny"
    root.mkdir()
    with mounted(root, "-t", "tmpfs", "-o", "size=1m", "tmpfs"):
        pull = dockersim("pull", "busybox", root=root)
        assert pull.returncode == 1
        last = pull.stderr.splitlines()[-1]
        assert last.startswith("failed to register layer: Error processing tar file(exit status 1): write /")
        assert last.endswith(f": {NO_SPACE}")
        assert dockersim("images", "-q", root=root).stdout == ""
        assert [p.name for p in (root / "layers").iterdir()] == []
        assert [p.name for p in (root / "images").iterdir()] == []
