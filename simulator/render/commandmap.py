"""The command map: the seed article's overview, every command an arrow between the forms
an image or a container can take, with the last command highlighted.

Built on transitions' own diagram support: the forms and commands are declared as a
``transitions`` machine, and ``GraphMachine`` draws it with the last transition marked.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .figure import Figure

__all__ = ["FORMS", "MOVES", "command_map"]

FORMS = ["registry", "image", "static container", "running container", "paused container", "tar archive", "removed"]

#: command -> (from form, to form), as the seed article draws them.
MOVES: list[tuple[str, str, str]] = [
    ("pull", "registry", "image"),
    ("create", "image", "static container"),
    ("run", "image", "running container"),
    ("start", "static container", "running container"),
    ("restart", "running container", "running container"),
    ("exec", "running container", "running container"),
    ("stop", "running container", "static container"),
    ("kill", "running container", "static container"),
    ("pause", "running container", "paused container"),
    ("unpause", "paused container", "running container"),
    ("rm", "static container", "removed"),
    ("rmi", "image", "removed"),
    ("commit", "static container", "image"),
    ("export", "static container", "tar archive"),
    ("save", "image", "tar archive"),
    ("load", "tar archive", "image"),
    ("import", "tar archive", "image"),
]


def command_map(last: str | None = None, lang: str = "en") -> "Figure":
    """The map, with ``last`` (a command name) highlighted when it is one of its arrows; with
    no ``last``, no form is marked. The forms are named in ``lang``; the commands stay as
    typed."""
    from transitions.extensions import GraphMachine

    from ..i18n import word
    from .figure import as_figure

    class Forms:
        pass

    known = any(verb == last for verb, _, _ in MOVES)
    source = next((s for verb, s, _ in MOVES if verb == last), "image")
    machine = GraphMachine(
        model=Forms(),
        states=FORMS,
        transitions=[dict(trigger=verb, source=s, dest=d) for verb, s, d in MOVES],
        initial=source,
        auto_transitions=False,
        show_conditions=False,
        title=word("docker commands", lang),
    )
    model = machine.models[0]
    if known:
        getattr(model, last)()
    graph = model.get_graph()
    for form in FORMS:  # a later node statement overrides what transitions wrote
        plain = {} if known else {"color": "black", "fillcolor": "white", "peripheries": "1"}
        graph.node(form, label=word(form, lang) + "\\l", **plain)
    return as_figure(graph, command_map_text(last if known else None, lang))


MAP_TEXT = {
    "en": ("The command map", "Every docker command as an arrow between the forms an image or a container takes: {moves}.",
           " The last command, {last}, is highlighted."),
    "zh": ("命令总览", "每条 docker 命令都是镜像或容器各形态之间的一条箭头：{moves}。", "最近的命令 {last} 已高亮。"),
}


def command_map_text(last: str | None, lang: str = "en") -> tuple[str, str]:
    """The command map's title and description: every arrow, in words."""
    from ..i18n import word

    title, body, marked = MAP_TEXT.get(lang, MAP_TEXT["en"])
    sep = "，" if lang == "zh" else ", "
    moves = sep.join(f"{verb} ({word(s, lang)} → {word(d, lang)})" for verb, s, d in MOVES)
    return title, body.format(moves=moves) + (marked.format(last=last) if last else "")
