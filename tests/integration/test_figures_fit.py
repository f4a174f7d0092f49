"""An executed lesson, exported to HTML as nbconvert does it: every figure says what it
shows (nbconvert has no image to invent alternative text for) and, in a real browser at a
notebook's width and at a projector's, fits its cell whole and in proportion."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO, leftovers, sandbox_unavailable
from tests.integration.browser import chromium, fits, misfits, with_measure
from tests.integration.test_lessons import _execute, _jupyter_missing

pytestmark = pytest.mark.sandbox

LESSONS = ["02-container-lifecycle", "zh/02-container-lifecycle"]  # the widest figures: two containers side by side
PLACEHOLDER = "No description has been provided for this image"  # what nbconvert writes for a missing alt
WIDTHS = {"notebook": 1000, "projector": 1920}


@pytest.fixture(scope="module", params=LESSONS)
def exported(request: pytest.FixtureRequest) -> tuple[str, str, object, list[str]]:
    """The lesson executed on the namespace tier and exported: its name, its HTML, the
    executed notebook, and what nbconvert warned while exporting."""
    missing = _jupyter_missing() or sandbox_unavailable()
    if missing:
        pytest.skip(missing)
    try:
        import nbformat
        from nbconvert import HTMLExporter
    except ImportError:
        pytest.skip("exporting a lesson needs nbconvert (pip install -e '.[test]')")
    place = Path(tempfile.mkdtemp(prefix="dockersim-fit-"))
    try:
        executed, result = _execute(REPO / "notebooks" / f"{request.param}.ipynb", "namespace", place, None)
        assert result.returncode == 0, result.stderr[-3000:]
        notebook = nbformat.read(executed, as_version=4)
        assert leftovers(place / "lessons") == []  # the lesson's last cell ended its containers
    finally:
        shutil.rmtree(place, ignore_errors=True)
    warnings: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record.getMessage())

    exporter = HTMLExporter()
    keep = Keep(logging.WARNING)
    exporter.log.addHandler(keep)
    try:
        page, _ = exporter.from_notebook_node(notebook)
    finally:
        exporter.log.removeHandler(keep)
    return request.param, page, notebook, warnings


def _commands(notebook) -> list[str]:
    """The command of every figure the lesson drew, in order, from its plain-text outputs."""
    return [out["data"]["text/plain"].splitlines()[0] for cell in notebook.cells if cell.cell_type == "code"
            for out in cell.outputs if "image/svg+xml" in out.get("data", {})]


def test_every_figure_of_an_exported_lesson_says_its_command_and_what_it_shows(exported):
    lesson, page, notebook, warnings = exported
    assert not [w for w in warnings if "Alternative text" in w], warnings
    assert PLACEHOLDER not in page
    from bs4 import BeautifulSoup  # nbconvert's own HTML reader

    images = BeautifulSoup(page, features="html.parser").find_all(["img", "svg"])
    alts = [image.get("alt", "") for image in images]
    commands = _commands(notebook)
    assert len(commands) > 10 and len(images) == len(commands)  # each figure shown once, as an <img>
    assert all(image.name == "img" and "dockersim-figure" in image["class"] for image in images)
    for alt, command in zip(alts, commands):
        assert alt.startswith(command), (alt[:80], command)
        assert len(alt) > len(command) + 20  # more than the command: what the figure shows
    assert ("镜像" in "".join(alts)) == lesson.startswith("zh/")  # in the lesson's language


def test_every_figure_of_an_exported_lesson_fits_its_cell(exported, tmp_path: Path):
    if chromium() is None:
        pytest.skip("measuring the figures needs Debian's chromium (apt-get install chromium)")
    _, page, notebook, _ = exported
    target = tmp_path / "lesson.html"
    target.write_text(with_measure(page, ".jp-OutputArea-output", least=len(_commands(notebook))))
    for name, width in WIDTHS.items():
        measured = fits(target.as_uri(), width, tmp_path / f"profile-{name}")
        assert len(measured["figures"]) == len(_commands(notebook))
        assert misfits(measured) == [], name
        if name == "notebook":  # the lesson's widest figures are wider than a notebook: they shrank
            assert any(f["width"] < f["natural"][0] - 50 for f in measured["figures"])
