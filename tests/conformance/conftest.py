"""Conformance harness: the same scenario on dockersim and on a real Docker Engine.

Every test hands a *scenario* (a function of one ``Recorder``) to the ``engines`` fixture.
The scenario runs twice, at the same time, through the two command lines:

- ``dockersim`` with ``DOCKERSIM_ROOT`` set to a fresh directory under the test's tmp_path
  and ``DOCKERSIM_DIAGRAMS=off``;
- ``docker`` with ``DOCKER_HOST`` set to ``$DOCKERSIM_REFERENCE_DOCKER``.

What the scenario records (exit codes, stdout, stderr, container states) is normalised
(container ids, image ids, relative times) and the two records must be equal. The record
of the real Docker Engine is the truth.

The tests run only when ``DOCKERSIM_REFERENCE_DOCKER`` holds the reference engine's URL
(``../shared/tools/reference-docker start`` prints it); otherwise each one skips.
"""

from __future__ import annotations

import concurrent.futures
import difflib
import functools
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import leftovers, sandbox_unavailable, stop_daemon

REFERENCE_ENV = "DOCKERSIM_REFERENCE_DOCKER"
NOT_SET_REASON = (
    "DOCKERSIM_REFERENCE_DOCKER not set: start ../shared/tools/reference-docker "
    "to compare with a real Docker Engine"
)
REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
COMMAND_TIMEOUT = 30.0  # seconds; a command still running then is recorded as "timed out"
IMAGE = "busybox"


# --------------------------------------------------------------------------- skipping


def _docker_client() -> str | None:
    return shutil.which("docker")


def _dockersim_argv() -> list[str]:
    script = Path(sys.executable).parent / "dockersim"
    if script.exists():
        return [str(script)]
    venv_script = REPO / ".venv" / "bin" / "dockersim"
    if venv_script.exists():
        return [str(venv_script)]
    return [sys.executable, "-m", "simulator"]


@functools.cache
def _why_skip() -> str:
    """Why the conformance tests cannot run here ("" when they can)."""
    if not os.environ.get(REFERENCE_ENV):
        return NOT_SET_REASON
    if _docker_client() is None:
        return f"{REFERENCE_ENV} is set but the `docker` client is not on PATH: install it to compare with the reference engine"
    return sandbox_unavailable()


@functools.cache
def _reference_problem() -> str:
    """A reference engine that is named but unusable is an error, not a skip."""
    env = _docker_env()
    probe = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True,
                           text=True, env=env, stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT)
    if probe.returncode != 0:
        return f"the reference engine at {os.environ[REFERENCE_ENV]} does not answer: {probe.stderr.strip()}"
    image = subprocess.run(["docker", "image", "inspect", "--format", "{{.Id}}", IMAGE], capture_output=True,
                           text=True, env=env, stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT)
    if image.returncode != 0:
        return (f"the reference engine has no {IMAGE!r} image (the conformance tests never pull): "
                f"{image.stderr.strip()}")
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.conformance)


@pytest.fixture(autouse=True)
def _conformance_requirements() -> None:
    reason = _why_skip()
    if reason:
        pytest.skip(reason)
    problem = _reference_problem()
    if problem:
        pytest.fail(problem, pytrace=False)


# --------------------------------------------------------------------------- normalising

_HEX64 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_HEX12 = re.compile(r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])")
_DURATION = (r"(?:Less than a second|About a minute|About an hour|an? (?:second|minute|hour|day|week|month|year)"
             r"|\d+ (?:second|minute|hour|day|week|month|year)s?)")
_AGO = re.compile(_DURATION + r" ago")
_UP = re.compile(r"\bUp " + _DURATION)


_TIMESTAMP = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b")


def normalise(text: str, image_ids: tuple[str, ...]) -> str:
    """Replace what legitimately differs between two engines: ids and relative times."""
    for image_id in image_ids:
        hexid = image_id.removeprefix("sha256:")
        text = text.replace("sha256:" + hexid, "<IMAGE>").replace(hexid, "<IMAGE>").replace(hexid[:12], "<IMAGE>")
    text = _HEX64.sub("<ID>", text)
    text = _HEX12.sub("<SHORTID>", text)
    text = _TIMESTAMP.sub("<TIMESTAMP>", text)
    text = _UP.sub("Up <TIME>", text)
    text = _AGO.sub("<TIME> ago", text)
    return text


# --------------------------------------------------------------------------- the two CLIs


def _docker_env() -> dict[str, str]:
    env = dict(os.environ)
    for var in ("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        env.pop(var, None)
    env["DOCKER_HOST"] = os.environ[REFERENCE_ENV]
    env["DOCKER_CLI_HINTS"] = "false"
    return env


@dataclass
class Result:
    rc: int | str          # an int, or "timed out"
    stdout: str
    stderr: str


@dataclass
class Cli:
    """One engine's command line. ``label`` is "docker" (the reference) or "dockersim"."""

    label: str
    argv: list[str]
    env: dict[str, str]
    image_ids: tuple[str, ...] = ()
    created_ids: set[str] = field(default_factory=set)

    def __call__(self, *args: str, timeout: float = COMMAND_TIMEOUT) -> Result:
        try:
            proc = subprocess.run([*self.argv, *args], capture_output=True, env=self.env, cwd=REPO,
                                  stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            return Result("timed out", _text(exc.stdout), _text(exc.stderr))
        result = Result(proc.returncode, _text(proc.stdout), _text(proc.stderr))
        if args and args[0] in ("create", "run"):
            self.created_ids.update(_HEX64.findall(result.stdout))
        return result

    def wait_for_output(self, name: str, text: str, timeout: float = COMMAND_TIMEOUT) -> None:
        """Follow ``logs -f NAME`` until ``text`` appears (an event, not a poll)."""
        with subprocess.Popen([*self.argv, "logs", "-f", name], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env=self.env, cwd=REPO, stdin=subprocess.DEVNULL) as follower:
            try:
                seen = b""
                while text.encode() not in seen:
                    chunk = follower.stdout.readline()
                    if not chunk:
                        break
                    seen += chunk
            finally:
                follower.kill()

    def norm(self, text: str) -> str:
        return normalise(text, self.image_ids)

    def inspect_state(self, name: str) -> dict | None:
        """``State`` of a container, parsed from ``inspect NAME`` JSON; None when there is none."""
        result = self("inspect", name)
        if result.rc != 0:
            return None
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError:
            return {"unparsable inspect output": result.stdout}
        if not data or not isinstance(data[0], dict) or "State" not in data[0]:
            return None
        return data[0]["State"]

    def state(self, name: str, settle: bool = False) -> str:
        """``Status ExitCode Running Paused`` (as ``inspect -f`` would print them), or "no such container".

        ``settle``: the container's command ends by itself at once (``true``, ``exit 3``): wait
        until it is no longer running, so that a start/restart is compared after it ran.
        """
        if settle:
            self("wait", name)  # returns once the container is not running (at once if never started)
        s = self.inspect_state(name)
        if s is None:
            return "no such container"
        if "Status" not in s:
            return repr(s)
        return f"{s.get('Status')} {s.get('ExitCode')} {str(s.get('Running')).lower()} {str(s.get('Paused')).lower()}"


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


@functools.cache
def _reference_image_ids() -> tuple[str, ...]:
    out = subprocess.run(["docker", "images", "-q", "--no-trunc"], capture_output=True, text=True,
                         env=_docker_env(), stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT).stdout
    return tuple(sorted(set(out.split()), key=len, reverse=True))


# --------------------------------------------------------------------------- recording


class Recorder:
    """What one engine did during a scenario, as ``(label, text)`` entries."""

    def __init__(self, cli: Cli):
        self.cli = cli
        self.entries: list[tuple[str, str]] = []

    def note(self, label: str, value: object) -> None:
        self.entries.append((label, value if isinstance(value, str) else repr(value)))

    def setup(self, *args: str, expect: int | None = 0) -> Result:
        """A command that only prepares the scenario: only its exit code is compared."""
        result = self.cli(*args)
        self.note(f"setup `docker {_show(args)}`: exit code", result.rc if expect is None or result.rc == expect
                  else f"{result.rc} (stdout {self.cli.norm(result.stdout)!r}, stderr {self.cli.norm(result.stderr)!r})")
        return result

    def run(self, *args: str, compare: str = "all", timeout: float = COMMAND_TIMEOUT) -> Result:
        """Run ``docker ARGS`` and record it.

        ``compare``: "all" (exit code, stdout, stderr), "top" (exit code, stderr, first line of
        stdout), "diffset" (exit code, stderr, stdout as a sorted set of lines), "ps" (exit code,
        stderr, header line but for the CREATED column's width, and each row's cells).
        """
        result = self.cli(*args, timeout=timeout)
        cmd = f"`docker {_show(args)}`"
        out, err = self.cli.norm(result.stdout), self.cli.norm(result.stderr)
        self.note(f"{cmd}: exit code", result.rc)
        if compare == "top":
            self.note(f"{cmd}: stdout header line", out.split("\n", 1)[0])
        elif compare == "ps":
            # the CREATED column is as wide as its widest "N seconds ago": time decides, not the engine
            lines = out.split("\n")
            self.note(f"{cmd}: stdout header line (CREATED column width aside)", re.sub(r"CREATED +", "CREATED   ", lines[0]))
            self.note(f"{cmd}: stdout rows (cells)", "\n".join(" | ".join(re.split(r"  +", row.strip()))
                                                               for row in lines[1:] if row.strip()))
        elif compare == "diffset":
            self.note(f"{cmd}: stdout lines (as a set)", "\n".join(sorted(set(out.splitlines()))))
            self.note(f"{cmd}: stdout line count", len(out.splitlines()))
        else:
            self.note(f"{cmd}: stdout", out)
        self.note(f"{cmd}: stderr", err)
        return result

    def state(self, name: str, settle: bool = False) -> str:
        state = self.cli.state(name, settle=settle)
        self.note(f"state of {name}", state)
        return state


def _show(args: tuple[str, ...]) -> str:
    return " ".join(a if re.fullmatch(r"[\w./:=@%+,-]+", a) else repr(a) for a in args)


def _visible(line: str) -> str:
    """Control characters (a CR before the newline, a tab) made visible, as in a Python repr."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def _render(entries: list[tuple[str, str]]) -> list[str]:
    """One entry per line; multi-line values as ``| line`` (a final ``|`` = ends in a newline)."""
    lines = []
    for label, value in entries:
        if "\n" in value:
            lines.append(f"{label}:")
            lines.extend(f"    | {_visible(line)}" for line in value.split("\n"))
        else:
            lines.append(f"{label}: {_visible(value)}")
    return lines


# --------------------------------------------------------------------------- the fixture


class Engines:
    """Both engines for one test, plus the names it may use; cleans up after itself."""

    def __init__(self, sim: Cli, ref: Cli):
        self.sim = sim
        self.ref = ref
        self.names: list[str] = []
        self.images: list[str] = []

    def image(self, stem: str = "cfimg") -> str:
        """An image reference no one else uses; removed from both engines afterwards."""
        ref = f"{stem}-{secrets.token_hex(5)}:1"
        self.images.append(ref)
        return ref

    def name(self, stem: str = "cf") -> str:
        """A container name no other test (or anything else on the reference engine) uses."""
        name = f"{stem}-{secrets.token_hex(5)}"
        self.names.append(name)
        return name

    def record(self, scenario: Callable[[Recorder], None]) -> tuple[Recorder, Recorder]:
        """Run ``scenario`` on both engines at once; returns (dockersim's, docker's) records."""
        sim, ref = Recorder(self.sim), Recorder(self.ref)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(scenario, sim), pool.submit(scenario, ref)]
            for future in futures:
                future.result()
        return sim, ref

    def compare(self, scenario: Callable[[Recorder], None]) -> None:
        """Run ``scenario`` on both engines; dockersim must record exactly what Docker records."""
        sim, ref = self.record(scenario)
        expected, actual = _render(ref.entries), _render(sim.entries)
        if os.environ.get("DOCKERSIM_CONFORMANCE_SHOW"):  # debugging aid: print Docker's record
            print("\n" + "\n".join(expected))
        if expected != actual:
            diff = "\n".join(difflib.unified_diff(expected, actual, "docker (reference)", "dockersim",
                                                  n=max(len(expected), len(actual)), lineterm=""))
            pytest.fail(f"dockersim differs from the reference Docker Engine:\n{diff}", pytrace=False)

    # -- cleanup

    def cleanup(self) -> list[str]:
        problems = []
        if self.images:  # after the containers that may use them
            self.ref("rm", "-f", *sorted(set(self.names) | self.ref.created_ids))
            self.ref("rmi", "-f", *self.images)
            left = [i for i in self.images if self.ref("image", "inspect", i).rc == 0]
            if left:
                problems.append(f"images left on the reference engine: {left}")
        # the reference engine: only what this test created (by name, and ids it printed)
        targets = sorted(set(self.names) | self.ref.created_ids)
        if targets:
            self.ref("rm", "-f", *targets)
            listed = self.ref("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}").stdout.split()
            left = sorted(set(listed) & set(targets))
            if left:
                problems.append(f"containers left on the reference engine: {left}")
        # dockersim: everything in this test's data root
        ids = self.sim("ps", "-aq", "--no-trunc").stdout.split()
        if ids:
            self.sim("rm", "-f", *ids)
        left = self.sim("ps", "-aq", "--no-trunc").stdout.split()
        if left:
            problems.append(f"dockersim containers left after rm -f: {left}")
        stop_daemon(Path(self.sim.env["DOCKERSIM_ROOT"]))
        problems.extend(leftovers(Path(self.sim.env["DOCKERSIM_ROOT"])))
        return problems


# What the process tier documents it cannot do (see simulator/sandbox/process.py): these
# comparisons skip there, with the reason, and run on the namespace tier.
_NOT_PID_1 = "the process tier documents it: the command is not PID 1, so SIGTERM without a handler ends it (143)"
_HOST_PATHS = "the process tier without PRoot documents it: absolute paths are the host's (and Landlock refuses writes to them)"
_HOST_NETWORK = "the process tier documents it: a container shares the host's network (info says so)"
PROCESS_TIER_LIMITS = {
    "stop-t1-in-running": _NOT_PID_1,
    "stop-t1-in-paused": _NOT_PID_1,
    "kill-sTERM-in-running": _NOT_PID_1,
    "kill-sTERM-in-paused": _NOT_PID_1,
    "test_published_ports_are_kept_and_never_published": _HOST_NETWORK,
    "test_the_none_network_is_a_loopback_only_and_other_networks_do_not_exist": _HOST_NETWORK,
}
# ... and these only where PRoot cannot give it a real root (see simulator/sandbox/proot.py)
WITHOUT_PROOT_LIMITS = {
    "test_diff_lists_the_changes_in_the_read_write_layer": _HOST_PATHS,
    "test_commit_history_and_rmi_of_a_committed_image": _HOST_PATHS,
    "test_build_twice_uses_the_cache_and_writes_the_same_history": _HOST_PATHS,
    "test_whiteouts_by_run": _HOST_PATHS,
    "test_whiteouts_by_exec": _HOST_PATHS,
    "test_whiteouts_by_build": _HOST_PATHS,
    "test_cp_out_of_a_container": _HOST_PATHS,
    "test_history_format_of_a_committed_image_and_of_no_image": _HOST_PATHS,
    "test_a_container_that_deleted_its_working_directory_starts_again": _HOST_PATHS,
}


def _documented_limit(request: pytest.FixtureRequest) -> str:
    from simulator.sandbox.proot import problem

    ident = request.node.callspec.id if hasattr(request.node, "callspec") else ""
    limits = {**PROCESS_TIER_LIMITS, **(WITHOUT_PROOT_LIMITS if problem() else {})}
    for key, reason in limits.items():
        if key in ident or request.node.originalname == key:
            return reason
    return ""


@pytest.fixture(params=["namespace", "process"])
def engines(tmp_path: Path, request: pytest.FixtureRequest):
    """Both engines, each ready to run ``busybox`` (dockersim on each sandbox tier in turn);
    removes every container afterwards."""
    tier = request.param
    if tier == "process":
        reason = _documented_limit(request)
        if reason:
            pytest.skip(reason)
    root = tmp_path / "dockersim-root"
    sim_env = dict(os.environ, DOCKERSIM_ROOT=str(root), DOCKERSIM_DIAGRAMS="off", DOCKERSIM_RUNTIME=tier,
                   DOCKERSIM_DAEMON="auto")  # as a learner's commands run: through the daemon
    sim = Cli("dockersim", _dockersim_argv(), sim_env)
    ref = Cli("docker", ["docker"], _docker_env(), image_ids=_reference_image_ids())
    pair = Engines(sim, ref)

    def finalize() -> None:
        problems = pair.cleanup()
        if problems:
            pytest.fail("cleanup: " + "; ".join(problems), pytrace=False)

    request.addfinalizer(finalize)
    # The reference engine already has busybox; give dockersim's fresh root the same.
    pulled = sim("pull", IMAGE)
    if pulled.rc != 0:
        pytest.fail(f"dockersim pull {IMAGE} failed ({pulled.rc}): {pulled.stderr}", pytrace=False)
    images = sim("images", "-q", "--no-trunc").stdout.split()
    sim.image_ids = tuple(sorted(set(images), key=len, reverse=True))
    return pair
