"""An unseeded engine draws ids and names from os.urandom, within the ranges asked for."""

from __future__ import annotations

from hypothesis import given, strategies as st

from simulator.engine import Engine, SystemDraws


@given(st.integers(1, 512))
def test_getrandbits_stays_below_two_to_the_k(k: int):
    assert 0 <= SystemDraws().getrandbits(k) < 2 ** k


@given(st.integers(1, 10 ** 6))
def test_randrange_stays_in_range(n: int):
    assert 0 <= SystemDraws().randrange(n) < n


def test_every_choice_can_come_up():
    draws = SystemDraws()
    assert {draws.choice("abc") for _ in range(300)} == set("abc")


def test_a_seed_gives_repeatable_draws_and_none_gives_the_system_s(tmp_path):
    assert isinstance(Engine(tmp_path / "a").rng, SystemDraws)
    assert Engine(tmp_path / "b", seed=1).rng.getrandbits(64) == Engine(tmp_path / "c", seed=1).rng.getrandbits(64)
