"""Random command sequences on the real sandbox, checked after every step against the model
and against the operating system (hypothesis stateful testing).

After each step: the engine's state of every container is what ``model.lifecycle`` predicts
(or the command failed exactly when the model says it must), a container has a live
process exactly while it is running or paused, and a removed container leaves nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from simulator.model.lifecycle import allowed, next_state
from tests.conftest import leftovers, sandbox_unavailable

pytestmark = pytest.mark.sandbox

NAMES = ["web", "job", "sql"]  # not hex: "bb" could be an id prefix, as in Docker
SEQUENCES_PER_TIER = int(os.environ.get("DOCKERSIM_SEQUENCES", "100"))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


class Lifecycle(RuleBasedStateMachine):
    tier = "namespace"
    TARGET = st.sampled_from(NAMES)

    @initialize(states=st.lists(st.sampled_from(["none", "created", "running", "paused"]), min_size=3, max_size=3))
    def setup(self, states: list[str]) -> None:
        """Begin with each name in a random state, so sequences start from every corner."""
        for name, state in zip(NAMES, states):
            if state == "none":
                continue
            self.create(name)
            if state in ("running", "paused"):
                self.start(name)
            if state == "paused":
                self.pause(name)

    def __init__(self) -> None:
        super().__init__()
        from simulator.engine import Engine

        self.home = Path(tempfile.mkdtemp(prefix="dockersim-seq-"))
        os.environ["DOCKERSIM_RUNTIME"] = self.tier
        self.engine = Engine(self.home / "root", snapshots="none")
        self.expected: dict[str, str] = {}  # name -> state the model predicts
        self.ids: dict[str, str] = {}
        self.pids: dict[str, int] = {}
        self.started = False  # did this sequence ever have a live container?

    # -- the commands ----------------------------------------------------------
    def _apply(self, name: str, verb: str, step) -> None:
        """Check ``step`` against the model and remember the state it predicts."""
        if name not in self.expected:
            assert step.exit_code != 0 and "No such container" in step.stderr, step.stderr
            return
        state = self.expected[name]
        if allowed(state, verb):
            assert step.exit_code == 0, f"{verb} from {state}: {step.stderr}"
            self.expected[name] = next_state(state, verb)
        else:
            assert step.exit_code == 1, f"{verb} from {state} should fail: {step.stdout}"
        if self.expected[name] == "removed":
            del self.expected[name]

    @rule(name=TARGET)
    def create(self, name: str) -> None:
        step = self.engine.create("busybox", ["sleep", "1000"], name=name)
        if name in self.expected:
            assert step.exit_code == 1 and "already in use" in step.stderr
        else:
            assert step.exit_code == 0, step.stderr
            self.expected[name] = "created"
            self.ids[name] = step.stdout.strip()

    @rule(name=TARGET)
    def start(self, name: str) -> None:
        self._apply(name, "start", self.engine.start(name))

    @rule(name=TARGET)
    def stop(self, name: str) -> None:
        self._apply(name, "stop", self.engine.stop(name, timeout=0))

    @rule(name=TARGET)
    def restart(self, name: str) -> None:
        self._apply(name, "restart", self.engine.restart(name, timeout=0))

    @rule(name=TARGET)
    def kill(self, name: str) -> None:
        step = self.engine.kill(name)
        self._apply(name, "kill", step)
        if name in self.expected and step.exit_code == 0:
            self.expected[name] = next_state(self.expected[name], "die")  # SIGKILL always ends it

    @rule(name=TARGET)
    def pause(self, name: str) -> None:
        self._apply(name, "pause", self.engine.pause(name))

    @rule(name=TARGET)
    def unpause(self, name: str) -> None:
        self._apply(name, "unpause", self.engine.unpause(name))

    @rule(name=TARGET, force=st.booleans())
    def rm(self, name: str, force: bool) -> None:
        step = self.engine.rm(name, force=force)
        if force and name not in self.expected:
            assert step.exit_code == 0 and "No such container" in step.stderr  # as docker rm -f
            return
        self._apply(name, "rm_force" if force else "rm", step)

    @rule(name=TARGET)
    def exec(self, name: str) -> None:
        self._apply(name, "exec", self.engine.exec(name, ["true"]))

    # -- what must hold after every step ----------------------------------------
    @invariant()
    def engine_agrees_with_the_model_and_the_os(self) -> None:
        listed = {r.name: r for r in self.engine.store.containers.all()}
        assert set(listed) == set(self.expected)
        for name, state in self.expected.items():
            s = json.loads(self.engine.inspect(name).stdout)[0]["State"]
            assert s["Status"] == state
            if state in ("running", "paused"):
                self.started = True
                assert _alive(s["Pid"]), f"{name} is {state} but its process is gone"
                self.pids[name] = s["Pid"]
            else:
                assert s["Pid"] == 0
                old = self.pids.pop(name, 0)
                assert not old or not _alive(old), f"{name} is {state} but pid {old} lives"
        for name in list(self.pids):
            if name not in self.expected:
                assert not _alive(self.pids.pop(name)), f"removed {name} left its process"

    def teardown(self) -> None:
        try:
            ids = [r.id for r in self.engine.store.containers.all()]
            if ids:
                self.engine.rm(*ids, force=True)
            assert leftovers(self.home / "root") == []
        finally:
            shutil.rmtree(self.home, ignore_errors=True)
            os.environ.pop("DOCKERSIM_RUNTIME", None)


def _machine_for(tier: str):
    class ForTier(Lifecycle):
        pass

    ForTier.tier = tier
    ForTier.__name__ = f"Lifecycle_{tier}"
    return ForTier


def _run(tier: str) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    machine = _machine_for(tier)
    original_init = machine.__init__
    sequences = []

    def init(self) -> None:
        original_init(self)
        sequences.append(self)
        assert self.engine.pull("busybox").ok

    machine.__init__ = init
    run_state_machine_as_test(machine, settings=settings(
        max_examples=SEQUENCES_PER_TIER, stateful_step_count=10, deadline=None,
        suppress_health_check=[HealthCheck.too_slow], derandomize=True,
    ))
    assert len(sequences) >= SEQUENCES_PER_TIER
    started = sum(1 for m in sequences if m.started)
    assert started >= SEQUENCES_PER_TIER // 4, f"only {started} sequences ever ran a container"


def test_random_sequences_on_the_namespace_tier():
    reason = sandbox_unavailable()
    if reason:
        pytest.skip(reason)
    _run("namespace")


def test_random_sequences_on_the_process_tier():
    _run("process")
