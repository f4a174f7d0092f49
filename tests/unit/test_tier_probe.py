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
