"""Figures: plain data in (a ``Snapshot`` or a ``Step``), a ``graphviz.Digraph`` out.

Pure: nothing here runs ``dot`` or touches the engine; callers ``.pipe()`` at the edge.

* ``scene``: every image and container (layers drawn once, so sharing shows);
* ``step_figure``: a command, the state before and after, and a sentence on what happened;
* ``command_map``: the seed article's overview, with the last command highlighted.
"""

from __future__ import annotations

from .commandmap import command_map
from .scene import scene
from .step import step_figure
from .theme import THEMES

__all__ = ["THEMES", "command_map", "scene", "step_figure"]
