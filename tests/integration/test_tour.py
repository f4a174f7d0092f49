"""`dockersim tour` runs straight through without a terminal: every step succeeds, every step
has its figure, and nothing the tour made is left behind."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.walkthrough import SCENES
from tests.conftest import leftovers


@pytest.fixture
def figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed: the tour draws no figures")
    folder = tmp_path / "figures"
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", str(folder))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where the tour's private data root goes
    return folder


def _tour(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", "tour", *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)


def _check_figures(folder: Path) -> list[dict]:
    steps = [json.loads(p.read_text()) for p in sorted(folder.glob("[0-9]*-*.json"))]
    assert len(steps) == len(SCENES)
    for about, scene in zip(steps, SCENES):
        assert about["exit_code"] == 0, about
        assert about["command"].split()[0] == scene.line.split()[0]
    svgs = sorted(folder.glob("[0-9]*-*.svg"))
    assert len(svgs) == len(SCENES) and all(p.read_bytes().lstrip().startswith(b"<?xml") for p in svgs)
    return steps


def test_the_tour_runs_every_command_of_the_seed_article(data_root, tier, figures, tmp_path):
    done = _tour()
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(SCENES)} steps, all done" in done.stdout
    _check_figures(figures)
    assert not list(tmp_path.glob("dockersim-tour-*")), "the tour's private data root was left behind"
    assert leftovers(tmp_path) == []
    assert not (data_root / "containers").exists() or not list((data_root / "containers").iterdir())


def test_the_tour_speaks_chinese(data_root, figures, tmp_path):
    done = _tour("--lang", "zh", "--no-wait")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "读写层" in done.stdout and "全部完成" in done.stdout
    steps = _check_figures(figures)
    assert "读写层" in steps[4]["narration"]  # create
    assert "读写层".encode() in sorted(figures.glob("0005-*.svg"))[0].read_bytes()
    assert leftovers(tmp_path) == []


def test_a_wrong_flag_is_refused():
    done = _tour("--fast")
    assert done.returncode == 125 and "unknown flag: --fast" in done.stderr
