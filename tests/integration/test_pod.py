"""dockersim where a class really runs: a JupyterHub pod.

A pod is a container of a real Docker engine with Docker's default seccomp profile and
capabilities, a non-root user, and the host's system folders and a Python environment
mounted read-only. We make one on the reference engine (``DOCKERSIM_REFERENCE_DOCKER``)
from its ``busybox`` image (nothing is pulled) and run ``pod_inside.py`` there: ``auto``
must pick the process tier and say why, PRoot must give it a real root, and the lifecycle,
diff, exec, commit, export and build must work with absolute paths without reaching the
pod's own files.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
UID = "1000:1000"


def _docker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["DOCKER_HOST"] = os.environ.get("DOCKERSIM_REFERENCE_DOCKER", "")
    return env


def _why_skip() -> str:
    if not os.environ.get("DOCKERSIM_REFERENCE_DOCKER"):
        return "DOCKERSIM_REFERENCE_DOCKER not set: a pod is made on the reference Docker engine"
    if not shutil.which("docker"):
        return "the docker client is not on PATH"
    probe = subprocess.run(["docker", "image", "inspect", "busybox:latest"], capture_output=True, text=True,
                           env=_docker_env())
    if probe.returncode != 0:
        return f"the reference engine has no busybox:latest (and must not pull): {probe.stderr.strip()}"
    return ""


def _read_only_binds(python: Path) -> list[str]:
    """The host's folders the pod needs, read-only at their own paths: the system's
    libraries and programs (proot), the interpreter behind the tests' venv, and the copy of
    dockersim made for another user (the checkout may be private: a folder of mode 0700)."""
    python_home = Path(os.path.realpath(sys.executable)).parents[1]  # <prefix>/bin/python3.x
    wanted = [Path("/usr"), Path("/lib"), Path("/lib64"), python_home, python.parents[2]]
    binds = []
    for path in wanted:
        if path.exists():
            source = Path(os.path.realpath(path))
            binds += ["-v", f"{source}:{path}:ro"]
    return binds


def pod(python: Path, scratch: Path, script_args: list[str], extra: list[str] = ()) -> subprocess.CompletedProcess:
    """Run ``pod_inside.py SCRIPT_ARGS`` in a pod with ``python`` (an environment another user
    may run); ``scratch`` (a host directory) is its writable /tmp."""
    name = f"dockersim-pod-{secrets.token_hex(4)}"
    scratch.mkdir(mode=0o1777, exist_ok=True)
    os.chmod(scratch, 0o1777)
    shutil.copy(HERE / "pod_inside.py", scratch / "pod_inside.py")
    argv = ["docker", "run", "--rm", "--name", name, "--user", UID, *_read_only_binds(python),
            "-v", f"{scratch}:/tmp",  # the pod's writable scratch space (the data root)
            "-e", "HOME=/tmp", "-e", "DOCKERSIM_ROOT=/tmp/data-root", "-e", "DOCKERSIM_DIAGRAMS=off",
            "-e", "DOCKERSIM_DAEMON=off", "-e", "PYTHONDONTWRITEBYTECODE=1", "-w", "/tmp", *extra,
            "busybox:latest", str(python), "/tmp/pod_inside.py", *script_args]
    try:
        return subprocess.run(argv, capture_output=True, text=True, env=_docker_env(), timeout=300)
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, env=_docker_env())


@pytest.fixture
def reference():
    why = _why_skip()
    if why:
        pytest.skip(why)


def test_a_class_in_a_jupyterhub_pod_gets_a_real_root(reference, restricted_python, tmp_path):
    done = pod(restricted_python, tmp_path / "pod-tmp", [])
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "all passed" in done.stdout
    assert "ok   auto picks the process tier, saying why" in done.stdout


# A seccomp profile that refuses ptrace (and user namespaces, as Docker's default does for a
# pod without CAP_SYS_ADMIN): a pod where PRoot cannot run
NO_PTRACE = ('{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ptrace", "unshare", "setns"], '
             '"action": "SCMP_ACT_ERRNO"}]}')


def test_a_pod_that_refuses_ptrace_runs_without_proot_and_says_so(reference, restricted_python, tmp_path):
    profile = tmp_path / "no-ptrace.json"
    profile.write_text(NO_PTRACE)
    done = pod(restricted_python, tmp_path / "pod-tmp", ["no-ptrace"],
               extra=["--security-opt", f"seccomp={profile}"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all passed" in done.stdout
