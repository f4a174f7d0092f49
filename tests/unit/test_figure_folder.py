"""The figure folder's file names: numbered steps, ordered by number, read the same by the
CLI that writes them and the live page that shows them."""

from __future__ import annotations

from simulator.cli.figures import is_step_figure, step_figures, step_number
from simulator.serve import steps


def test_steps_are_ordered_by_number_past_9999(tmp_path):
    for name in ("9999-pause.svg", "10000-unpause.svg", "0002-run.svg", "latest.svg", "0003-rm.svg.part", "notes.txt"):
        (tmp_path / name).write_text("")
    assert [p.name for p in step_figures(tmp_path)] == ["0002-run.svg", "9999-pause.svg", "10000-unpause.svg"]
    assert (step_number("0003-rm.svg.part"), step_number("latest.svg"), step_number("12-x.svg")) == (3, 0, 0)
    page = steps(tmp_path)
    assert [(s["number"], s["command"]) for s in page] == [(2, "run"), (9999, "pause"), (10000, "unpause")]
    assert not any(is_step_figure(n) for n in ("0001-../x.svg", "0001-a/b.svg", "0001-run.json", "latest.svg",
                                               "0001-a--b.svg", "0001-.svg", "0001-a b.svg"))
    assert is_step_figure("0007-container-prune.svg")
