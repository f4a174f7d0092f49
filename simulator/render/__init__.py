"""Figures: plain data in (a ``Snapshot`` or a ``Step``), a ``graphviz.Digraph`` out.

Pure: nothing here runs ``dot`` or touches the engine; callers ``.pipe()`` at the edge.

* ``scene``: every image and container (layers drawn once, so sharing shows);
* ``step_figure``: a command, the state before and after, and a sentence on what happened;
* ``command_map``: the seed article's overview, with the last command highlighted.

Each is a ``Figure`` (``figure.py``): a Digraph that knows its text alternative (the command
and what it draws, ``describe.py``) and whose SVG, once piped, shrinks to the width it is
shown in and carries those words (``svg.py``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .commandmap import command_map
    from .state import scene
    from .step import step_figure
    from .theme import THEMES

__all__ = ["THEMES", "command_map", "scene", "step_figure"]

_HOMES = {"command_map": "commandmap", "scene": "state", "step_figure": "step", "THEMES": "theme"}


def __getattr__(name: str):
    """Load a figure's module on first use: the CLI asks ``render.backend`` whether it can
    draw before it draws, and that question must not cost the drawing code's imports."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
