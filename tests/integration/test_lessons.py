"""The lessons in ``notebooks/``: each runs top to bottom in a real kernel, on both sandbox
tiers, draws a figure after every command, agrees with every prediction it fills in, and
leaves nothing behind. Also ``begin``/``end`` (a lesson's private place) and ``predict``.

The process tier runs as a classroom machine would: a non-root user without user
namespaces (``restricted.py``), with ``DOCKERSIM_RUNTIME`` left at ``auto``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, leftovers, sandbox_unavailable
from tests.integration import restricted
from tests.integration.restricted import UID

pytestmark = pytest.mark.sandbox

HERE = Path(__file__).resolve().parent
NOTEBOOKS = sorted((REPO / "notebooks").rglob("*.ipynb"))
RIGHT = "✓"  # how a right verdict starts, in every language


def _name(path: Path) -> str:
    return str(path.relative_to(REPO / "notebooks").with_suffix(""))


def _jupyter_missing() -> str:
    """Why executed notebooks cannot be checked here ("" when they can)."""
    for module in ("nbformat", "nbclient", "ipykernel"):
        try:
            __import__(module)
        except ImportError:
            return f"running the lessons needs {module} (pip install -e '.[test]')"
    if shutil.which("dot") is None:
        return "graphviz's dot is not installed: there would be no figures to check"
    return ""


def _execute(notebook: Path, tier: str, place: Path, python: Path | None) -> tuple[Path, subprocess.CompletedProcess]:
    """Run ``notebook`` through nbclient on ``tier``, with everything it writes under ``place``:
    as the test's own user from the checkout on the namespace tier; as ``nobody`` without
    user namespaces on the process tier, with the copies made for it next to ``python``.
    Returns the executed notebook's path and the runner's result."""
    site = [p for p in sys.path if p.endswith("site-packages")]
    env = dict(os.environ, HOME=str(place / "home"), TMPDIR=str(place / "tmp"), DOCKERSIM_LESSONS=str(place / "lessons"),
               PYTHONPATH=os.pathsep.join([str(REPO), *site]), DOCKERSIM_DIAGRAMS="off")
    for key in ("DOCKERSIM_ROOT", "DOCKERSIM_LANG", "DOCKERSIM_RUNTIME", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "PYTHONHOME"):
        env.pop(key, None)
    for directory in ("home", "tmp"):
        (place / directory).mkdir()
    executed = place / "executed.ipynb"
    if tier == "namespace":
        command = [sys.executable, str(HERE / "run_notebook.py"), str(notebook), str(executed)]
        env["DOCKERSIM_RUNTIME"] = "namespace"
    else:
        assert python is not None
        copies = python.parents[2]  # what restricted.install copied, beside its venv
        for path in (place, place / "home", place / "tmp"):
            os.chown(path, UID, UID)
        del env["PYTHONPATH"]
        command = restricted.command(UID, [str(python), str(copies / "tests/integration/run_notebook.py"),
                                           str(copies / notebook.relative_to(REPO)), str(executed)])
    result = subprocess.run(command, env=env, cwd=place, capture_output=True, text=True, timeout=300)
    return executed, result


def _problems(notebook) -> list[str]:
    """What is wrong with an executed lesson: errors, commands without a figure, a filled-in
    prediction the engine disagreed with."""
    found = []
    code = [(i, cell) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    if not code or "begin(" not in code[0][1].source:
        found.append("the first code cell does not begin() the lesson")
    for i, cell in code:
        source = cell.source
        figures = sum("image/svg+xml" in out.get("data", {}) for out in cell.outputs)
        texts = [out["data"]["text/plain"] for out in cell.outputs if "text/plain" in out.get("data", {})]
        for out in cell.outputs:
            if out.output_type == "error":
                found.append(f"cell {i} failed: {out.ename}: {out.evalue}")
        if source.startswith("%%docker"):
            commands = [line for line in source.splitlines()[1:] if line.strip() and not line.lstrip().startswith("#")]
            if figures != len(commands):
                found.append(f"cell {i}: {figures} figures for {len(commands)} commands")
        elif source.startswith("%docker") and figures != 1:
            found.append(f"cell {i}: {figures} figures for one command")
        if "predict(" in source:
            if figures != 1:
                found.append(f"cell {i}: the predicted command drew {figures} figures")
            if not any(text.startswith(RIGHT) for text in texts):
                found.append(f"cell {i}: the filled-in prediction was not right: {texts}")
    if sum("predict(" in cell.source for _, cell in code) < 2:
        found.append("fewer than two predict-then-run exercises")
    return found


@pytest.fixture
def place():
    """A fresh directory for one lesson's run (its data, home and temp dir), checked for
    leaks and removed afterwards."""
    made = restricted.scratch("dockersim-lesson-")  # the process tier's user works in it
    yield made
    shutil.rmtree(made, ignore_errors=True)


@pytest.mark.parametrize("tier", ["namespace", "process"])
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_name)
def test_a_lesson_runs_top_to_bottom(notebook: Path, tier: str, place: Path, request: pytest.FixtureRequest):
    missing = _jupyter_missing()
    if missing:
        pytest.skip(missing)
    if tier == "namespace" and sandbox_unavailable():
        pytest.skip(sandbox_unavailable())
    python = request.getfixturevalue("restricted_python") if tier == "process" else None  # made only if needed
    import nbformat

    executed, result = _execute(notebook, tier, place, python)
    assert result.returncode == 0, result.stderr[-3000:]
    ran = nbformat.read(executed, as_version=4)
    assert _problems(ran) == []
    shown = ran.cells[[c.cell_type for c in ran.cells].index("code")].outputs[-1]["data"]["text/plain"]
    assert f"Sandbox: {tier}" in shown or f"沙箱：{tier}" in shown  # the lesson says which tier it got
    figure = next(out["data"]["image/svg+xml"] for cell in ran.cells if cell.cell_type == "code"
                  for out in cell.outputs if "image/svg+xml" in out.get("data", {}))
    assert ("镜像" in figure) == (notebook.parent.name == "zh")  # figures in the lesson's language
    lessons = place / "lessons"
    assert leftovers(lessons) == []
    assert not lessons.exists() or os.listdir(lessons) == []  # lesson.end() removed its folder
    assert os.listdir(place / "tmp") == []


def test_the_english_and_chinese_editions_run_the_same_commands():
    import json

    def commands(path: Path) -> list[str]:
        """Every command line, cell magic and filled-in answer, comments left out."""
        found = []
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and source.startswith("%%"):
                found.append(source)
            elif cell["cell_type"] == "code":
                found += [line.split("#")[0].rstrip() for line in source.splitlines()
                          if line.startswith(("%docker", "predict(", "answer ="))]
        return found

    english = [p for p in NOTEBOOKS if p.parent.name != "zh"]
    assert len(english) == 4 and len(NOTEBOOKS) == 8
    for path in english:
        chinese = path.parent / "zh" / path.name
        assert commands(chinese) == commands(path), chinese


def test_lessons_are_committed_clean():
    """No outputs, no execution counts, the python3 kernel: small diffs, and nothing stale."""
    import json

    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text())
        assert notebook["metadata"]["kernelspec"]["name"] == "python3", path
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, (path, cell["source"])


# ---------------------------------------------------------------------- begin, end, predict
@pytest.fixture
def lessons(tmp_path: Path, tier: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``begin`` changes the process's environment, directory and engine: put them back."""
    from simulator import notebook

    home = tmp_path / "lessons"
    monkeypatch.setenv("DOCKERSIM_LESSONS", str(home))
    monkeypatch.setenv("DOCKERSIM_ROOT", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("DOCKERSIM_LANG", "en")
    monkeypatch.setenv("DOCKERSIM_DIAGRAMS", "off")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(notebook, "_engine", None)
    monkeypatch.setattr(notebook, "_outside", {})
    monkeypatch.setattr(notebook, "session", [])
    yield home
    assert leftovers(home) == []


def test_begin_starts_over_and_end_leaves_nothing(lessons: Path, tmp_path: Path):
    from simulator.notebook import begin, engine

    first = begin("01-demo")
    assert os.environ["DOCKERSIM_ROOT"] == str(first.root) and Path.cwd() == first.work
    assert engine().run("busybox", ["sleep", "1000"], name="left", detach=True).ok
    (first.work / "Dockerfile").write_text("FROM busybox\n")
    again = begin("01-demo")  # a second run ends what the first one left running
    assert engine().ps(all=True, quiet=True).stdout == "" and os.listdir(again.work) == []
    assert "01-demo" in repr(again) and "not touched" in repr(again)
    again.end()
    assert Path.cwd() == tmp_path and not again.base.exists()
    assert os.environ["DOCKERSIM_ROOT"] == str(tmp_path / "elsewhere") and os.environ["DOCKERSIM_LANG"] == "en"
    assert not (tmp_path / "elsewhere").exists()  # the learner's own data root was never used


def test_begin_empties_only_a_folder_it_made(lessons: Path):
    from simulator.notebook import begin

    mine = lessons / "02-demo"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not a lesson's folder"):
        begin("02-demo")
    assert (mine / "notes.txt").read_text() == "keep me"


def test_predict_runs_the_command_and_judges_the_answer(lessons: Path, capsys: pytest.CaptureFixture):
    from simulator.notebook import begin, exited_with, predict, session, status

    lesson = begin("03-demo", lang="zh")
    assert predict(1, "pull busybox", lambda step: len(step.after.images))
    verdict = predict("running", "create --name web busybox true", status("web"), why="还没有进程。")
    assert not verdict and str(verdict) == "✗ 不对：你预测的是 'running'，实际是 'created'。还没有进程。"
    assert predict(0, "start -a web", exited_with("web"))
    assert "$ docker create --name web busybox true" in capsys.readouterr().out  # shown outside Jupyter too
    assert [s.command for s in session] == ["pull busybox", "create --name web busybox true", "start -a web"]
    lesson.end()
