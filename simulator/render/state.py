"""The scene: every image and container of a snapshot, in the seed article's visual language.

An image is a stack of grey read-only layers (bottom first) with its union view beside it;
a container is a yellow read-write layer on top of its image's stack, listing what it holds
as ``docker diff`` shows it; a running container also has a blue process space with its
processes; a paused one says it is frozen. Each layer is drawn once, so sharing shows.
"""

from __future__ import annotations

from html import escape

from ..i18n import word
from .theme import theme as get_theme

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    import graphviz

    from ..step import ContainerView, ImageView, Snapshot
    from .figure import Figure

__all__ = ["MAX_CHANGES", "MAX_CONTAINERS", "MAX_IMAGES", "draw_scene", "new_graph", "scene"]

MAX_CHANGES = 8  # diff lines listed in a read-write layer
MAX_PROCESSES = 6
MAX_CONTAINERS = 8  # more are summed up in one note: a projector's width holds about this many
MAX_IMAGES = 6
MAX_UNION_VIEWS = 3  # beyond that, union views crowd out the stacks they explain


def _short(digest: str) -> str:
    return digest.removeprefix("sha256:")[:12]


def _nid(digest: str) -> str:
    """A node id: the whole id, since two short ids may collide."""
    return digest.removeprefix("sha256:")


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying so: a cut that shows no mark reads as
    the whole command."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _size(n: int) -> str:
    from ..model.present import human_size

    return human_size(n)


def new_graph(title: str, t: dict[str, str]) -> "Figure":
    from .figure import Figure

    return Figure(
        "dockersim",
        graph_attr={
            "rankdir": "TB", "fontname": t["font"], "nodesep": "0.3", "ranksep": "0.3",
            "label": title, "labelloc": "t", "labeljust": "l", "fontsize": "18",
            "fontcolor": t["text"], "bgcolor": t["background"], "pad": "0.2",
        },
        node_attr={"shape": "plaintext", "fontname": t["font"], "fontsize": "13", "fontcolor": t["text"]},
        edge_attr={"arrowsize": "0.7", "color": t["edge"]},
    )


def _layer_label(diff_id: str, created_by: str, size: int, t: dict[str, str], lang: str) -> str:
    by = escape(_clip(created_by, 40)) or "&nbsp;"
    return (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="4" bgcolor="{t["layer"]}" color="{t["layer_border"]}">'
        f'<tr><td align="left"><b>{word("layer", lang)} {_short(diff_id)}</b>&#160;&#160;&#160;<font point-size="11">{_size(size)}</font></td></tr>'
        f'<tr><td align="left"><font point-size="11">{by}</font></td></tr></table>>'
    )


def _rw_label(c: "ContainerView", t: dict[str, str], lang: str, border: str) -> str:
    rows = [f'<tr><td align="left"><b>{word("read-write layer", lang)}</b></td></tr>']
    for line in c.changes[:MAX_CHANGES]:
        rows.append(f'<tr><td align="left"><font face="{t["mono"]}" point-size="12">{escape(line)}</font></td></tr>')
    if len(c.changes) > MAX_CHANGES:
        rows.append(f'<tr><td align="left"><font point-size="11">… {len(c.changes) - MAX_CHANGES} {word("more", lang)}</font></td></tr>')
    if not c.changes:
        rows.append(f'<tr><td align="left"><font point-size="11"><i>{word("empty", lang)}</i></font></td></tr>')
    return (
        f'<<table border="2" cellborder="0" cellspacing="0" cellpadding="3" bgcolor="{t["rw"]}" color="{border}">'
        + "".join(rows) + "</table>>"
    )


def _process_label(c: "ContainerView", t: dict[str, str], lang: str) -> str:
    paused = c.status == "paused"
    head = f'{word("process space", lang)} — {word("frozen", lang)}' if paused else word("process space", lang)
    rows = [f'<tr><td align="left" colspan="2"><b>{escape(head)}</b></td></tr>']
    for p in c.processes[:MAX_PROCESSES]:
        command = escape(_clip(p.command, 36)) or "(ending)"
        rows.append(
            f'<tr><td align="right"><font point-size="11">pid {p.pid}</font></td>'
            f'<td align="left"><font face="{t["mono"]}" point-size="12">{command}</font></td></tr>'
        )
    if len(c.processes) > MAX_PROCESSES:
        rows.append(f'<tr><td colspan="2"><font point-size="11">… {len(c.processes) - MAX_PROCESSES} {word("more", lang)}</font></td></tr>')
    fill, border = (t["paused"], t["paused_border"]) if paused else (t["process_space"], t["process_border"])
    return (
        f'<<table border="2" style="rounded" cellborder="0" cellspacing="0" cellpadding="3" bgcolor="{fill}" color="{border}">'
        + "".join(rows) + "</table>>"
    )


def _union_label(image: "ImageView", t: dict[str, str], lang: str) -> str:
    names = list(image.union)[:10]
    listing = "  ".join(f"/{escape(n)}" for n in names) + (" …" if len(image.union) > 10 else "")
    return (
        f'<<table border="1" style="rounded" cellborder="0" cellpadding="4" bgcolor="{t["union"]}" color="{t["union_border"]}">'
        f'<tr><td align="left"><b>{word("union view", lang)}</b></td></tr>'
        f'<tr><td align="left"><font face="{t["mono"]}" point-size="11">{listing or "&nbsp;"}</font></td></tr></table>>'
    )


def draw_scene(g: "graphviz.Digraph", snapshot: "Snapshot", t: dict[str, str], lang: str = "en",
               prefix: str = "", highlight: frozenset[str] = frozenset(), union: bool = True) -> None:
    """Add ``snapshot``'s images and containers to ``g`` (node ids start with ``prefix``)."""
    tops: dict[str, str] = {}
    drawn: set[str] = set()
    containers = list(snapshot.containers)
    # what the step changed first, then live containers, then the rest
    order = sorted(containers, key=lambda c: (c.id not in highlight, c.status not in ("running", "paused")))
    shown = order[:MAX_CONTAINERS]
    images = list(snapshot.images)
    used = {c.image_id for c in shown}
    shown_images = [i for i in images if i.id in used]  # a shown container's image always shows
    shown_images += [i for i in images if i.id not in used][: max(0, MAX_IMAGES - len(shown_images))]
    for image in shown_images:
        parent = None
        for layer in image.layers:
            node = f"{prefix}L{_nid(layer.chain_id)}"
            if node not in drawn:
                g.node(node, _layer_label(layer.diff_id, layer.created_by, layer.size, t, lang))
                drawn.add(node)
                if parent:
                    g.edge(node, parent, arrowhead="none", penwidth="2")  # a stack: the parent sits below
            parent = node
        if not parent:
            continue
        tops[image.id] = parent
        tag = escape(", ".join(image.tags)) if image.tags else "&lt;none&gt;:&lt;none&gt;"
        image_node = f"{prefix}I{_nid(image.id)}"
        g.node(image_node, f'<<b>{word("image", lang)}</b>&#160;{tag}<br/><font point-size="11">{_short(image.id)}</font>>',
               shape="note", style="filled", fillcolor=t["image_tag"], color=t["edge"])
        g.edge(image_node, parent, style="dashed", arrowhead="none")
        if union and getattr(image, "union", ()) and len(shown_images) <= MAX_UNION_VIEWS:
            union_node = f"{prefix}U{_nid(image.id)}"
            g.node(union_node, _union_label(image, t, lang))
            with g.subgraph() as same:
                same.attr(rank="same")
                same.node(union_node)
                same.node(image_node)
            g.edge(image_node, union_node, style="dotted", arrowhead="none", color=t["union_border"])
    for c in containers:
        if c not in shown:
            continue
        changed = c.id in highlight
        with g.subgraph(name=f"cluster_{prefix}{c.id}") as box:
            state = word(c.status, lang) + (f" ({c.exit_code})" if c.status == "exited" else "")
            live = c.status in ("running", "paused")
            box.attr(label=f"{c.name}  ·  {state}", style="rounded,filled,bold" if changed else "rounded,filled",
                     fillcolor=t["container"] if live else t["static"], fontsize="14", fontcolor=t["text"],
                     color=t["highlight"] if changed else t["edge"], penwidth="3" if changed else "1")
            rw = f"{prefix}W{c.id}"
            box.node(rw, _rw_label(c, t, lang, t["highlight"] if changed else t["rw_border"]))
            if live:
                box.node(f"{prefix}P{c.id}", _process_label(c, t, lang))
                box.edge(f"{prefix}P{c.id}", rw, style="invis")
        if c.image_id in tops:
            g.edge(rw, tops[c.image_id], arrowhead="none", penwidth="2")
    hidden = len(containers) - len(shown)
    if hidden > 0 or len(images) > len(shown_images):
        g.node(f"{prefix}elided", f"… {hidden} containers, {len(images) - len(shown_images)} images {word('elided', lang)}",
               shape="box", style="dashed", color=t["muted"], fontcolor=t["muted"])


def scene(snapshot: "Snapshot", title: str = "", lang: str = "en", theme: str | None = None) -> "Figure":
    """All images and containers of ``snapshot``."""
    from .describe import scene_text

    t = get_theme(theme)
    g = new_graph(escape(title), t)
    g.alt = (title or "dockersim", scene_text(snapshot, lang))
    draw_scene(g, snapshot, t, lang)
    if snapshot.runtime:
        g.node("tier", f'<<font point-size="10">{word("tier", lang)}: {escape(snapshot.runtime)}</font>>')
    return g
