"""Figures: plain data in (a ``Snapshot`` or a ``Step``), a ``graphviz.Digraph`` out.

Pure: nothing here runs ``dot`` or touches the engine; callers ``.pipe()`` at the edge.
The visual language follows the seed article: an image is a stack of grey read-only layers,
a container adds a coloured read-write layer on top, and a running container is wrapped in a
process space holding its processes.
"""

from __future__ import annotations

from html import escape
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

if TYPE_CHECKING:
    import graphviz

    from ..step import ContainerView, Snapshot, Step

__all__ = ["STYLE", "scene", "step_figure"]

#: Colours and fonts in one place, as transitions keeps its style_attributes.
STYLE = {
    "font": "Helvetica",
    "layer": "#d9d9d9",
    "layer_border": "#7f7f7f",
    "rw": "#ffe8a3",
    "rw_border": "#c9a227",
    "process_space": "#e3f1ff",
    "paused": "#b8d8f5",
    "image_tag": "#ffffff",
    "title": "#333333",
    "exited": "#f2f2f2",
}
MAX_CHANGES = 8


def _short(digest: str) -> str:
    return digest.removeprefix("sha256:")[:12]


def _size(n: int) -> str:
    from ..model.present import human_size

    return human_size(n)


def _layer_label(diff_id: str, created_by: str, size: int) -> str:
    by = escape(created_by[:40]) or "&nbsp;"
    return (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="4" bgcolor="{STYLE["layer"]}" color="{STYLE["layer_border"]}">'
        f'<tr><td align="left"><b>layer {_short(diff_id)}</b>   <font point-size="10">{_size(size)}</font></td></tr>'
        f'<tr><td align="left"><font point-size="10">{by}</font></td></tr></table>>'
    )


def _rw_label(c: "ContainerView") -> str:
    rows = ['<tr><td align="left"><b>read-write layer</b></td></tr>']
    shown = c.changes[:MAX_CHANGES]
    for line in shown:
        rows.append(f'<tr><td align="left"><font face="Courier" point-size="10">{escape(line)}</font></td></tr>')
    if len(c.changes) > MAX_CHANGES:
        rows.append(f'<tr><td align="left"><font point-size="10">… {len(c.changes) - MAX_CHANGES} more</font></td></tr>')
    if not c.changes:
        rows.append('<tr><td align="left"><font point-size="10"><i>(empty)</i></font></td></tr>')
    return (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="3" bgcolor="{STYLE["rw"]}" color="{STYLE["rw_border"]}">'
        + "".join(rows) + "</table>>"
    )


def _process_label(c: "ContainerView") -> str:
    paused = c.status == "paused"
    head = "process space — paused (frozen)" if paused else "process space"
    rows = [f'<tr><td align="left" colspan="2"><b>{head}</b></td></tr>']
    for p in c.processes[:6]:
        rows.append(
            f'<tr><td align="right"><font point-size="10">pid {p.pid}</font></td>'
            f'<td align="left"><font face="Courier" point-size="10">{escape(p.command[:36]) or "(ending)"}</font></td></tr>'
        )
    if len(c.processes) > 6:
        rows.append(f'<tr><td colspan="2"><font point-size="10">… {len(c.processes) - 6} more</font></td></tr>')
    colour = STYLE["paused"] if paused else STYLE["process_space"]
    return (
        f'<<table border="1" style="rounded" cellborder="0" cellspacing="0" cellpadding="3" bgcolor="{colour}">'
        + "".join(rows) + "</table>>"
    )


def scene(snapshot: "Snapshot", title: str = "") -> "graphviz.Digraph":
    """All images and containers: each layer drawn once, so sharing shows."""
    import graphviz

    g = graphviz.Digraph("dockersim", graph_attr={
        "rankdir": "TB", "fontname": STYLE["font"], "nodesep": "0.3", "ranksep": "0.25",
        "label": escape(title), "labelloc": "t", "fontsize": "16", "fontcolor": STYLE["title"],
    }, node_attr={"shape": "plaintext", "fontname": STYLE["font"], "fontsize": "11"},
        edge_attr={"arrowsize": "0.6", "color": "#666666"})
    tops: dict[str, str] = {}
    drawn: set[str] = set()
    for image in snapshot.images:
        parent = None
        for layer in image.layers:
            node = "L" + _short(layer.chain_id)
            if node not in drawn:
                g.node(node, _layer_label(layer.diff_id, layer.created_by, layer.size))
                drawn.add(node)
                if parent:
                    g.edge(node, parent)
            parent = node
        if parent:
            tops[image.id] = parent
            tag = ", ".join(image.tags) or "&lt;none&gt;:&lt;none&gt;"
            g.node("I" + _short(image.id), f'<<b>image</b> {escape(tag) if image.tags else tag}<br/><font point-size="10">{_short(image.id)}</font>>',
                   shape="note", style="filled", fillcolor=STYLE["image_tag"])
            g.edge("I" + _short(image.id), parent, style="dashed", arrowhead="none")
    for c in snapshot.containers:
        with g.subgraph(name="cluster_" + c.id[:12]) as box:
            state = c.status + (f" ({c.exit_code})" if c.status == "exited" else "")
            box.attr(label=f"{c.name}  ·  {state}", style="rounded,filled",
                     fillcolor=STYLE["exited"] if c.status in ("created", "exited") else "white", fontsize="12")
            rw = "W" + c.id[:12]
            box.node(rw, _rw_label(c))
            if c.status in ("running", "paused"):
                box.node("P" + c.id[:12], _process_label(c))
                box.edge("P" + c.id[:12], rw, style="invis")
        if c.image_id in tops:
            g.edge(rw, tops[c.image_id])
    if snapshot.runtime:
        g.node("tier", f'<<font point-size="9">sandbox: {escape(snapshot.runtime)} tier</font>>')
    return g


def step_figure(step: "Step") -> "graphviz.Digraph":
    """The state after a command, titled with the command and its outcome."""
    from ..step import Snapshot

    outcome = "" if step.ok else f"  →  exit {step.exit_code}"
    return scene(step.after or Snapshot(), title=f"$ docker {step.command}{outcome}")
