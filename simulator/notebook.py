"""Jupyter: ``%load_ext simulator`` adds ``%docker`` (one command) and ``%%docker`` (one per
line); each shows its step figure inline, as every ``Engine`` call's Step does.

    %load_ext simulator
    %docker run -d --name web busybox sleep 1000
    %%docker
    pause web
    unpause web

    from simulator.notebook import replay; replay()   # a slider through the session's figures

The lessons in ``notebooks/`` add two things. ``begin(name)`` gives a lesson its own data root
and working folder, empty every time it runs; ``lesson.end()`` removes them. ``predict(answer,
command, measure)`` runs a command and says whether the learner's prediction was right, and
why (the measures and the verdict live in ``exercises.py``)::

    lesson = begin("02-container-lifecycle")
    answer = "paused"                       # the learner's prediction
    predict(answer, "pause web", status("web"), why="the freezer stops every process")
    lesson.end()
"""

from __future__ import annotations

import os
import sys
from html import escape
from pathlib import Path

from .exercises import Verdict, count, exit_code, exited_with, field, judge, layers, lines, output, status

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from .engine import Engine
    from .exercises import Measure
    from .step import Step

__all__ = [
    "Lesson", "Verdict", "begin", "count", "engine", "exit_code", "exited_with", "field", "layers", "lines",
    "load_ipython_extension", "output", "predict", "replay", "session", "status",
]

_engine: "Engine | None" = None
session: "list[Step]" = []  # every step of this kernel, in order (for replay)


def engine() -> "Engine":
    """The kernel's engine (on ``DOCKERSIM_ROOT``), made on first use."""
    global _engine
    if _engine is None:
        from .engine import Engine

        _engine = Engine(snapshots="both")
    return _engine


def docker(line: str) -> "Step":
    """Run one ``docker`` command line and remember its step."""
    from .cli.commands import run_line

    step = run_line(engine(), line)
    session.append(step)
    return step


def docker_cell(cell: str) -> "list[Step]":
    from .cli.commands import strip_comment

    return [docker(line) for line in cell.splitlines() if strip_comment(line).strip()]


def _echo(step: "Step") -> None:
    """Print what the command printed, as a terminal would: a Step's figure is what Jupyter
    shows of it, and a lesson about ``images`` or ``history`` needs their tables too."""
    if step.stdout:
        sys.stdout.write(step.stdout)
        sys.stdout.flush()
    if step.stderr:
        sys.stderr.write(step.stderr)
        sys.stderr.flush()


def _show(step: "Step") -> None:
    """Show a step as the magics do: its output, then its figure (outside IPython: its summary)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or ipython.get_ipython() is None:
        print(step.summary())
        return
    from IPython.display import display

    _echo(step)
    display(step)


class _Steps(list):
    """Several steps shown one after the other, each as its command, its output and its figure."""

    def _ipython_display_(self) -> None:
        for step in self:
            print(f"$ docker {step.command}", flush=True)
            _show(step)


def load_ipython_extension(ipython) -> None:
    """Called by ``%load_ext simulator``."""

    from IPython.core.error import UsageError

    from .model.errors import DataRootError

    def line_magic(line: str) -> "Step":
        try:
            step = docker(line)
        except DataRootError as err:  # IPython shows a UsageError as its message alone
            raise UsageError(str(err)) from None
        _echo(step)
        return step

    def cell_magic(line: str, cell: str) -> "_Steps":
        try:
            return _Steps(docker_cell(cell))
        except DataRootError as err:
            raise UsageError(str(err)) from None

    ipython.register_magic_function(line_magic, "line", "docker")
    ipython.register_magic_function(cell_magic, "cell", "docker")


def replay(steps: "list[Step] | None" = None):
    """A slider that steps back and forth through a session's figures (needs ipywidgets).

    ``steps`` defaults to every step of this kernel's ``%docker`` session."""
    try:
        import ipywidgets as widgets
    except ImportError:
        raise ImportError("the step slider needs ipywidgets: pip install ipywidgets") from None
    chosen = [s for s in (session if steps is None else steps) if s.after is not None]
    if not chosen:
        return widgets.HTML("<i>No steps yet: run some %docker commands first.</i>")
    slider = widgets.IntSlider(value=len(chosen), min=1, max=len(chosen), description="step",
                               continuous_update=False, layout=widgets.Layout(width="60%"))
    caption = widgets.HTML()
    figure = widgets.HTML()

    def show(change=None) -> None:
        step = chosen[slider.value - 1]
        caption.value = f"<code>$ docker {escape(step.command)}</code>"
        figure.value = step.figure()._repr_mimebundle_(include=["text/html"])["text/html"]  # fits, says what it shows

    slider.observe(show, names="value")
    show()
    return widgets.VBox([slider, caption, figure])


# ---------------------------------------------------------------------- exercises
def predict(answer: "Any", command: str, measure: "Measure" = output, *, why: str = "") -> Verdict:
    """Run one ``docker`` command line, show it as ``%docker`` would, and judge ``answer``
    against what ``measure`` reads from its step (see ``exercises.py`` for the measures).

    The verdict speaks the figures' language (``DOCKERSIM_LANG``); ``why`` is said either way."""
    from .i18n import language

    step = docker(command)
    _show(step)
    return judge(answer, measure(step), why=why, command=step.command, lang=language())


# ---------------------------------------------------------------------- lessons
MARKER = ".dockersim-lesson"  # only a folder holding this is ever emptied by begin()

NOTE = {
    "en": ("Lesson {name}: its own data root, {root}, and working folder, {work} (now the current "
           "directory). Both start empty each time this cell runs; the dockersim data you keep "
           "elsewhere is not touched. Sandbox: {tier}."),
    "zh": ("课程 {name}：使用自己的数据目录 {root} 和工作目录 {work}（现在是当前目录）。"
           "每次运行这个单元格，两者都从空开始；你在别处的 dockersim 数据不受影响。沙箱：{tier}。"),
}
ENDED = {
    "en": "Lesson {name} ended: its containers were removed and {base} was deleted.",
    "zh": "课程 {name} 结束：它的容器已删除，{base} 已删除。",
}


def lessons_home() -> Path:
    """Where lessons keep their data: ``DOCKERSIM_LESSONS``, else beside dockersim's own data
    directory (never inside it, so a lesson can start over without touching it)."""
    from .store import data_location

    return Path(data_location("DOCKERSIM_LESSONS", "dockersim-lessons"))


class Lesson:
    """One lesson's private place: a data root for its images and containers and a working
    folder for the files it writes (a Dockerfile, archives), both under ``base``."""

    def __init__(self, name: str, base: Path, lang: str, tier: str) -> None:
        self.name = name
        self.base = base
        self.root = base / "root"
        self.work = base / "work"
        self.lang = lang
        self.tier = tier

    def __repr__(self) -> str:
        return NOTE.get(self.lang, NOTE["en"]).format(name=self.name, root=self.root, work=self.work, tier=self.tier)

    def _repr_html_(self) -> str:
        return f'<div class="dockersim-lesson" style="color: #555"><i>{escape(repr(self))}</i></div>'

    def _repr_mimebundle_(self, include: "Any" = None, exclude: "Any" = None, **_: "Any") -> "dict[str, str]":
        bundle = {"text/plain": repr(self), "text/html": self._repr_html_()}
        wanted = set(include or bundle) - set(exclude or ())
        return {mime: text for mime, text in bundle.items() if mime in wanted}

    def end(self) -> None:
        """End the lesson's containers, delete its folder, and give the kernel back its
        directory and settings as they were before the lesson."""
        global _engine
        outside = _remember_outside()
        if Path.cwd().is_relative_to(self.base):
            os.chdir(outside["cwd"])
        _wipe(self.base)
        for key in SETTINGS:
            if outside[key] is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = outside[key]
        outside.clear()
        _engine = None
        print(ENDED.get(self.lang, ENDED["en"]).format(name=self.name, base=self.base))


def begin(name: str, lang: str = "en") -> Lesson:
    """Start lesson ``name`` from nothing: end what an earlier run of it left (containers
    still running after a kernel restart, say), empty its folder, point this kernel's engine,
    figures (``DOCKERSIM_LANG``) and ``!dockersim`` calls at it, and work in its folder."""
    global _engine
    outside = _remember_outside()
    base = lessons_home() / name
    if Path.cwd().is_relative_to(base):
        os.chdir(outside["cwd"])
    _wipe(base)
    for directory in (base / "root", base / "work"):
        directory.mkdir(parents=True)
    (base / MARKER).write_text(name + "\n")
    os.environ["DOCKERSIM_ROOT"] = str(base / "root")
    os.environ["DOCKERSIM_LANG"] = lang
    _engine = None
    session.clear()
    os.chdir(base / "work")
    tier, why = engine().tier
    return Lesson(name, base, lang, f"{tier} ({why})" if why else tier)


SETTINGS = ("DOCKERSIM_ROOT", "DOCKERSIM_LANG")  # what begin() changes in the environment
_outside: "dict[str, Any]" = {}  # the kernel's directory and settings before its lesson began


def _remember_outside() -> "dict[str, Any]":
    """The directory and settings to return to at the end, taken before the first lesson
    changes them (a lesson run again keeps the first run's)."""
    if not _outside:
        _outside.update({"cwd": os.getcwd(), **{key: os.environ.get(key) for key in SETTINGS}})
    return _outside


def _wipe(base: Path) -> None:
    """Remove a lesson folder: first every container in it (ending its processes), then the
    files. A folder begin() did not make is refused, not emptied."""
    if not base.exists():
        return
    if not (base / MARKER).exists() and any(base.iterdir()):
        raise FileExistsError(f"{base} exists and is not a lesson's folder (no {MARKER}); "
                              "move it away or set DOCKERSIM_LESSONS to another place")
    if (base / "root").is_dir():
        from .engine import Engine

        Engine(base / "root", snapshots="none").remove_all()
    from .store.atomic import rmtree

    rmtree(base)
