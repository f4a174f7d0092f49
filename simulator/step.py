"""What one command did: a ``Step``, and the plain ``Snapshot`` of state a figure is drawn from.

Both are plain data: a Step can be saved, shared and replayed without an engine, and a
Snapshot could as well come from a real Docker engine. A Step shows itself: in Jupyter as
its figure (``_repr_mimebundle_``: the SVG, and an ``<img>`` of it whose alternative text is the
command and what the figure shows), in rich as a short summary (``__rich__``).
"""

from __future__ import annotations

from collections import namedtuple
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

if TYPE_CHECKING:
    from typing import Any

__all__ = ["ContainerView", "ImageView", "LayerView", "ProcessView", "Snapshot", "Step"]

LayerView = namedtuple("LayerView", ["chain_id", "diff_id", "size", "created_by"], defaults=[""])
# layers bottom first; union: the top-level names of the image's union view
ImageView = namedtuple("ImageView", ["id", "tags", "layers", "created", "union"], defaults=["", ()])
ProcessView = namedtuple("ProcessView", ["pid", "host_pid", "command"])  # pid as seen inside
ContainerView = namedtuple(
    "ContainerView",
    ["id", "name", "status", "image_id", "image", "command", "exit_code", "changes", "processes", "runtime"],
    defaults=[0, (), (), ""],  # changes: docker diff lines
)
Snapshot = namedtuple("Snapshot", ["images", "containers", "runtime"], defaults=[(), (), ""])


class Step:
    """One command and its outcome."""

    __slots__ = ("command", "exit_code", "stdout", "stderr", "before", "after", "verb")

    def __init__(self, command: str, exit_code: int = 0, stdout: str = "", stderr: str = "",
                 before: "Snapshot | None" = None, after: "Snapshot | None" = None, verb: str = "") -> None:
        self.command = command
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.before = before
        self.after = after
        self.verb = verb

    def __repr__(self) -> str:
        return f"Step({self.command!r}, exit_code={self.exit_code})"

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def figure(self, lang: str | None = None, theme: str | None = None):
        """The figure of this step as a ``graphviz.Digraph`` (imports graphviz on demand)."""
        from .i18n import language, theme_name
        from .render import step_figure
        from .render.backend import renderer

        return step_figure(self, language(lang), theme_name(theme), drawn_by=renderer())

    def _repr_mimebundle_(self, include: "Any" = None, exclude: "Any" = None, **_: "Any") -> "dict[str, Any]":
        """Its figure, as SVG and as an ``<img>`` of it (where front ends look for alternative
        text, and which they shrink to the cell's width), and its summary as plain text."""
        wanted = set(include or ("image/svg+xml", "text/html", "text/plain")) - set(exclude or ())
        bundle = {"text/plain": self.summary()} if "text/plain" in wanted else {}
        from .render.backend import renderer

        if wanted & {"image/svg+xml", "text/html"} and self.after is not None and renderer():
            bundle.update(self.figure()._repr_mimebundle_(include=wanted))
        return bundle

    def summary(self) -> str:
        head = f"$ docker {self.command}"
        body = (self.stdout + self.stderr).rstrip("\n")
        tail = "" if self.ok else f"\n(exit code {self.exit_code})"
        return head + ("\n" + body if body else "") + tail

    def __rich__(self) -> str:
        from rich.markup import escape

        style = "green" if self.ok else "red"
        return f"[bold]$ docker {escape(self.command)}[/]\n[{style}]{escape((self.stdout + self.stderr).rstrip())}[/]"
