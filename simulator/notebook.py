"""Jupyter: ``%load_ext simulator`` adds ``%docker`` (one command) and ``%%docker`` (one per
line); each shows its step figure inline, as every ``Engine`` call's Step does.

    %load_ext simulator
    %docker run -d --name web busybox sleep 1000
    %%docker
    pause web
    unpause web

    from simulator.notebook import replay; replay()   # a slider through the session's figures
"""

from __future__ import annotations

import sys
from html import escape

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .engine import Engine
    from .step import Step

__all__ = ["engine", "load_ipython_extension", "replay", "session"]

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
    return [docker(line) for line in cell.splitlines() if line.strip() and not line.strip().startswith("#")]


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

    def line_magic(line: str) -> "Step":
        step = docker(line)
        _echo(step)
        return step

    def cell_magic(line: str, cell: str) -> "_Steps":
        return _Steps(docker_cell(cell))

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
        figure.value = step.figure().pipe(format="svg", encoding="utf-8")

    slider.observe(show, names="value")
    show()
    return widgets.VBox([slider, caption, figure])
