"""Jupyter: ``%load_ext simulator`` adds ``%docker`` (one command) and ``%%docker`` (one per
line); each shows its step figure inline, as every ``Engine`` call's Step does.

    %load_ext simulator
    %docker run -d --name web busybox sleep 1000
    %%docker
    pause web
    unpause web
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .engine import Engine
    from .step import Step

__all__ = ["engine", "load_ipython_extension", "session"]

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


class _Steps(list):
    """Several steps shown one after the other."""

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        from IPython.display import display

        for step in self:
            display(step)
        return {"text/plain": ""}


def load_ipython_extension(ipython) -> None:
    """Called by ``%load_ext simulator``."""

    def line_magic(line: str) -> "Step":
        return docker(line)

    def cell_magic(line: str, cell: str) -> "_Steps":
        return _Steps(docker_cell(cell))

    ipython.register_magic_function(line_magic, "line", "docker")
    ipython.register_magic_function(cell_magic, "cell", "docker")
