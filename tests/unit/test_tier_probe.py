"""The namespace probe forks a child; its answer is kept in the data root while nothing it
depends on has changed."""

from __future__ import annotations

import pytest

from simulator.sandbox import tiers


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []

    def fake_probe() -> str:
        made.append("probe")
        return "cannot create a user namespace (Operation not permitted)"

    monkeypatch.setattr(tiers, "_try_namespaces", fake_probe)
    monkeypatch.setenv("DOCKERSIM_RUNTIME", "auto")
    tiers.namespace_problem.cache_clear()
    yield made
    tiers.namespace_problem.cache_clear()


def test_the_answer_is_remembered(probes, tmp_path):
    remember = str(tmp_path / "tier-probe")
    first = tiers.choose(remember)
    tiers.namespace_problem.cache_clear()  # as a new CLI process would start
    assert tiers.choose(remember) == first == ("process", "the namespace tier does not work here: "
                                                          "cannot create a user namespace (Operation not permitted)")
    assert probes == ["probe"]


def test_a_changed_machine_or_user_is_probed_again(probes, tmp_path):
    remember = tmp_path / "tier-probe"
    remember.write_text("another boot or user\n")  # it said the namespace tier works
    assert tiers.choose(str(remember))[0] == "process"
    assert probes == ["probe"]
    assert remember.read_text().startswith(tiers._probe_key() + "\n")


@pytest.fixture
def proot_probes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from simulator.sandbox import proot

    made: list[str] = []

    def fake_try(binary: str) -> str:
        made.append(binary)
        return "ptrace is not allowed here (proot: ptrace(TRACEME): Operation not permitted)"

    monkeypatch.setattr(proot, "_try", fake_try)
    monkeypatch.setattr(proot, "_binary", lambda: "/bin/sh")  # any file: its size and mtime are the key
    monkeypatch.delenv(proot.SETTING, raising=False)
    proot.problem.cache_clear()
    yield made
    proot.problem.cache_clear()


def test_the_proot_answer_is_remembered_and_said(proot_probes, tmp_path):
    from simulator.sandbox import proot
    from simulator.sandbox.process import root_form

    remember = str(tmp_path / "proot-probe")
    first = proot.problem(remember)
    proot.problem.cache_clear()  # as a new CLI process would start
    assert proot.problem(remember) == first
    assert proot_probes == ["/bin/sh"]
    assert root_form(remember) == ("no PRoot (ptrace is not allowed here (proot: ptrace(TRACEME): Operation not "
                                   "permitted)): absolute paths are the host's")


def test_proot_can_be_switched_off_and_missing(proot_probes, monkeypatch):
    from simulator.sandbox import proot

    monkeypatch.setenv(proot.SETTING, "off")
    assert proot.problem() == "DOCKERSIM_PROOT=off"
    monkeypatch.delenv(proot.SETTING)
    proot.problem.cache_clear()
    monkeypatch.setattr(proot, "_binary", lambda: "")
    assert proot.problem() == "proot is not installed (apt-get install proot)"
    assert proot_probes == []
