"""The step figure: the command, the state before and after, and what happened, in words.

Only what the step changed is drawn twice (before on the left, after on the right, the
changed parts outlined); a query that changed nothing shows the state once.
"""

from __future__ import annotations

from html import escape

from ..i18n import narrate, word
from .describe import step_text
from .state import draw_scene, new_graph
from .theme import theme as get_theme

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from ..step import Snapshot, Step
    from .figure import Figure

__all__ = ["changed_containers", "step_figure"]


def changed_containers(before: "Snapshot", after: "Snapshot") -> frozenset[str]:
    """Ids of the containers the step added, removed or changed."""
    old = {c.id: c for c in before.containers}
    new = {c.id: c for c in after.containers}
    return frozenset(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))


def _focus(snapshot: "Snapshot", ids: frozenset[str]) -> "Snapshot":
    """Only the given containers, and the images they stand on (and any image, if none)."""
    containers = tuple(c for c in snapshot.containers if c.id in ids)
    used = {c.image_id for c in containers}
    images = tuple(i for i in snapshot.images if i.id in used) or snapshot.images
    return snapshot._replace(images=images, containers=containers)


COMMAND_WIDTH = 60  # characters of the command on one title line (it is drawn large)


def _wrap(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for piece in text.split(" ") if " " in text else [text[i:i + 45] for i in range(0, len(text), 45)]:
        if line and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    return [*lines, line] if line else lines


def step_figure(step: "Step", lang: str = "en", theme: str | None = None, drawn_by: str = "dot") -> "Figure":
    """The figure of one step (``step.after`` is required; ``step.before`` is optional);
    ``drawn_by``: the program that will lay it out, named on the figure when it is the
    pip-installed fallback."""
    from ..step import Snapshot

    t = get_theme(theme)
    outcome = "" if step.ok else f"   ({word('exit', lang)} {step.exit_code})"
    story = narrate(step.verb, lang)
    after = step.after or Snapshot()
    drawn = "   drawn with graphviz-pure" if drawn_by == "graphviz-pure" else ""
    tier = (f'   <font point-size="11" color="{t["muted"]}">{word("tier", lang)}: {escape(after.runtime)}{drawn}</font>'
            if after.runtime or drawn else "")
    # a long command wraps rather than widening the figure past a page or a projector
    command = _wrap(f"$ docker {step.command}", COMMAND_WIDTH) or ["$ docker"]
    title = "<" + "<br/>".join(
        [f'<b>{escape(command[0])}</b>{escape(outcome)}{tier}']
        + [f'<b>    {escape(line)}</b>' for line in command[1:]]
        + [f'<font point-size="13">{escape(line)}</font>' for line in _wrap(story, 80 if lang == "en" else 45)]
    ) + ">"
    g = new_graph(title, t)
    g.alt = step_text(step, lang)
    before = step.before
    changed = changed_containers(before, after) if before is not None else frozenset()
    if before is None or not changed:
        draw_scene(g, after, t, lang, highlight=changed)
    else:
        for side, snapshot in (("before", before), ("after", after)):
            with g.subgraph(name=f"cluster_{side}") as half:
                half.attr(label=word(side, lang), style="dashed", color=t["muted"], fontcolor=t["muted"], fontsize="15")
                focus = _focus(snapshot, changed)
                if not focus.containers:
                    half.node(f"{side}_none", word("removed" if side == "after" else "no change", lang),
                              shape="box", style="dashed", color=t["muted"], fontcolor=t["muted"])
                draw_scene(half, focus, t, lang, prefix=f"{side}_", highlight=changed if side == "after" else frozenset(),
                           union=False)
    return g
