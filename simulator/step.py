"""What one command did: a ``Step``, and the plain ``Snapshot`` of state a figure is drawn from.

Both are plain data: a Step can be saved, shared and replayed without an engine, and a
Snapshot could as well come from a real Docker engine. A Step shows itself: in Jupyter as
its figure (``_repr_mimebundle_``), in rich as a short summary (``__rich__``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ContainerView", "ImageView", "LayerView", "Snapshot", "Step"]


@dataclass(frozen=True)
class LayerView:
    chain_id: str
    diff_id: str
    size: int
    created_by: str = ""


@dataclass(frozen=True)
class ImageView:
    id: str
    tags: tuple[str, ...]
    layers: tuple[LayerView, ...]  # bottom first
    created: str = ""


@dataclass(frozen=True)
class ProcessView:
    pid: int  # as seen inside the container
    host_pid: int
    command: str


@dataclass(frozen=True)
class ContainerView:
    id: str
    name: str
    status: str
    image_id: str
    image: str
    command: str
    exit_code: int = 0
    changes: tuple[str, ...] = ()  # docker diff lines
    processes: tuple[ProcessView, ...] = ()
    runtime: str = ""


@dataclass(frozen=True)
class Snapshot:
    images: tuple[ImageView, ...] = ()
    containers: tuple[ContainerView, ...] = ()
    runtime: str = ""  # which sandbox tier drew this state


@dataclass
class Step:
    """One command and its outcome."""

    command: str
    exit_code: int = 0
    stdout: str = ""
    stderr: str = ""
    before: Snapshot | None = None
    after: Snapshot | None = None
    verb: str = ""
    targets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def figure(self):
        """The figure of this step as a ``graphviz.Digraph`` (imports graphviz on demand)."""
        from .render import step_figure

        return step_figure(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, Any]:
        bundle = {"text/plain": self.summary()}
        wanted = set(include or ("image/svg+xml", "text/plain")) - set(exclude or ())
        if "image/svg+xml" in wanted and self.after is not None:
            bundle["image/svg+xml"] = self.figure().pipe(format="svg", encoding="utf-8")
        return {k: v for k, v in bundle.items() if k in wanted}

    def summary(self) -> str:
        head = f"$ docker {self.command}"
        body = (self.stdout + self.stderr).rstrip("\n")
        tail = "" if self.ok else f"\n(exit code {self.exit_code})"
        return head + ("\n" + body if body else "") + tail

    def __rich__(self) -> str:
        from rich.markup import escape

        style = "green" if self.ok else "red"
        return f"[bold]$ docker {escape(self.command)}[/]\n[{style}]{escape((self.stdout + self.stderr).rstrip())}[/]"
