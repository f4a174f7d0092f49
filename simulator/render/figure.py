"""``Figure``: a ``graphviz.Digraph`` that knows what it shows, and whose SVG fits where it is
shown.

Every figure leaves through ``pipe()`` (the CLI's step files, the gallery, a notebook, the
live page), so that is where its SVG is finished (``svg.finish``): natural size kept, shrunk
to the width it is given, proportions kept, and a title and description as its text
alternative. In Jupyter it shows itself as that SVG and as an ``<img>`` of it with the same
words as alternative text, since front ends give alternative text to an ``<img>`` only
(nbconvert and JupyterLab draw a bare ``image/svg+xml`` as an ``<img>`` without one, and at
its natural width, wider than the cell).
"""

from __future__ import annotations

import graphviz

from .svg import finish, img_tag

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Figure", "as_figure"]

MIMES = ("image/svg+xml", "text/html")  # what a figure shows itself as, by default


class Figure(graphviz.Digraph):
    """A Digraph with ``alt``: the title (the command) and description (what it draws) that
    its SVG and its ``<img>`` carry as text alternative."""

    alt: tuple[str, str] = ("dockersim", "")

    def pipe(self, format: "str | None" = None, *args: "Any", encoding: "str | None" = None, **kwargs: "Any"):
        """``graphviz.Digraph.pipe``; an SVG comes out finished (see ``svg.finish``)."""
        out = super().pipe(format, *args, encoding=encoding, **kwargs)
        if (format or self.format) != "svg":
            return out
        if isinstance(out, bytes):
            return finish(out.decode("utf-8"), *self.alt).encode("utf-8")
        return finish(out, *self.alt)

    def _repr_mimebundle_(self, include: "Any" = None, exclude: "Any" = None, **_: "Any") -> "dict[str, str]":
        wanted = set(include or MIMES) - set(exclude or ())
        if not wanted & set(MIMES):
            return {}
        svg = self.pipe(format="svg", encoding="utf-8")  # drawn once, shown both ways
        bundle = {"image/svg+xml": svg, "text/html": img_tag(svg)}
        return {mime: text for mime, text in bundle.items() if mime in wanted}


def as_figure(graph: "graphviz.Digraph", alt: tuple[str, str]) -> Figure:
    """``graph`` (a plain Digraph, e.g. one ``transitions`` drew) as a Figure saying ``alt``."""
    figure = Figure(name=graph.name, comment=graph.comment, graph_attr=dict(graph.graph_attr),
                    node_attr=dict(graph.node_attr), edge_attr=dict(graph.edge_attr), body=list(graph.body),
                    strict=graph.strict, engine=graph.engine, format=graph.format)
    figure.alt = alt
    return figure
