"""What Tab offers in ``dockersim shell``: given a line and the cursor, the candidates.

Pure: the containers and images come from a ``Names`` source, which the shell fills from
the store only when Tab is pressed (and a test fills by hand). The rules follow Docker's own
bash completion: a subcommand first (after an optional ``docker``), then, by the command's
usage, container names, image references (``repo:tag``) or flags from its SPEC::

    >>> names = Names(containers=[Container("4f2a91c0d3e8", "web", "running")], images=["busybox:latest"])
    >>> complete("pa", names)
    ['pause']
    >>> complete("docker stop w", names)
    ['web']
    >>> complete("run -d bu", names)
    ['busybox:latest']
    >>> complete("ps --a", names)
    ['--all']
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field

from . import without_docker
from .commands import MANAGEMENT, SPECS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Callable

    from ..store import Store
    from .flags import CommandSpec

__all__ = ["BUILTINS", "Container", "Names", "complete", "store_names"]

#: Words the shell itself understands, offered at the start of a line beside the subcommands.
BUILTINS = ("exit", "help", "quit")

#: The images ``pull`` can make (the offline registry).
REGISTRY = ("busybox",)

#: Signals ``kill -s`` is most often given.
SIGNALS = ("HUP", "INT", "KILL", "QUIT", "TERM", "USR1", "USR2")

Container = namedtuple("Container", ["id", "name", "status"])

# What each positional argument of a command names, by position; the last entry repeats.
# "container:running" offers running containers first (falling back to all when none match);
# "image:pull" adds the offline registry's images not yet pulled (run and create pull them).
CONTAINER, IMAGE, BOTH, NOTHING = "container", "image", "container|image", ""
_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "attach": ("container:running", NOTHING), "start": ("container:stopped",), "stop": ("container:running",), "restart": (CONTAINER,),
    "kill": ("container:running",), "pause": ("container:running",), "unpause": ("container:paused",),
    "rm": (CONTAINER,), "rename": (CONTAINER, NOTHING), "exec": ("container:running", NOTHING), "logs": (CONTAINER, NOTHING),
    "wait": (CONTAINER,), "stats": ("container:running",), "top": ("container:running", NOTHING), "diff": (CONTAINER, NOTHING),
    "export": (CONTAINER, NOTHING), "commit": (CONTAINER, IMAGE, NOTHING), "inspect": (BOTH,),
    "container inspect": (CONTAINER,), "image inspect": (IMAGE,),
    "run": ("image:pull", NOTHING), "create": ("image:pull", NOTHING), "rmi": (IMAGE,), "history": (IMAGE, NOTHING),
    "save": (IMAGE,), "tag": (IMAGE, IMAGE, NOTHING), "images": ("repository", NOTHING),
    "pull": ("registry", NOTHING), "events": (NOTHING,),
}
_STATES = {"running": ("running", "paused"), "paused": ("paused",), "stopped": ("created", "exited")}


@dataclass(frozen=True)
class Names:
    """The containers and images Tab may offer (``images``: ``repo:tag`` references)."""

    containers: list[Container] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    image_ids: list[str] = field(default_factory=list)


def complete(before: str, names: "Names | Callable[[], Names] | None" = None, *, builtins: bool = True) -> list[str]:
    """The candidates for the last word of ``before`` (the line up to the cursor), sorted.

    ``names`` is asked only when the word names a container or an image (it may be a
    callable that reads the store then: completion of a subcommand or a flag never does).
    ``builtins``: offer the shell's own words (``exit``, ``help``, ``quit``) first on a line.
    """
    words, word = _split(before)
    stripped = without_docker(words)
    if len(stripped) < len(words):  # `docker ps`: a docker line, not one of the shell's own words
        words, builtins = stripped, False
    if not words:
        offered = [*(name for name in SPECS if " " not in name), *MANAGEMENT, *(BUILTINS if builtins else ())]
        if builtins and "docker".startswith(word):
            offered.append("docker")
        return sorted(w for w in offered if w.startswith(word))
    if words[0] in MANAGEMENT:  # `container ls`: its subcommands, then the command it stands for
        commands = MANAGEMENT[words[0]][1]
        if len(words) == 1:
            return sorted(w for w in commands if w.startswith(word))
        if words[1] not in commands:
            return []
        words = [commands[words[1]], *words[2:]]
    spec = SPECS.get(words[0])
    if spec is None:
        return []
    position, expects_value = _position(spec, words[1:])
    if expects_value is not None:
        return _flag_values(expects_value, word)
    if word.startswith("-") and (spec.interspersed or position == 0):
        return _flags(spec, word)
    kinds = _ARGUMENTS.get(spec.name, (NOTHING,))
    kind = kinds[min(position, len(kinds) - 1)]
    if not kind:
        return []
    if callable(names):
        names = names()
    return _arguments(kind, spec.name, word, names or Names())


def _split(before: str) -> tuple[list[str], str]:
    """The finished words and the word being typed; an open quote is not an error here."""
    import shlex

    head, _, word = before.rpartition(" ") if not before.endswith(" ") else (before, "", "")
    try:
        words = shlex.split(head)
    except ValueError:
        words = head.split()
    return words, word


def _position(spec: "CommandSpec", words: list[str]) -> tuple[int, str | None]:
    """Which positional argument the next word is, and, when the last word was a flag that
    takes a value, that flag's name. ``run``/``exec`` read no flags after their first
    argument: there ``-l`` is an argument of the container's command."""
    position = 0
    waiting = None
    for token in words:
        if waiting is not None:
            waiting = None
            continue
        if token.startswith("-") and len(token) > 1 and (spec.interspersed or position == 0):
            waiting = _takes_value(spec, token)
            continue
        position += 1
    return position, waiting


def _takes_value(spec: "CommandSpec", token: str) -> str | None:
    """The flag's long name if ``token`` leaves the flag waiting for its value."""
    if token.startswith("--"):
        if "=" in token:
            return None
        flag = spec.flag(token[2:])
        return flag.long if flag is not None and flag.kind != "bool" else None
    for i, letter in enumerate(token[1:]):
        flag = spec.flag(letter)
        if flag is None:
            return None
        if flag.kind != "bool":  # the rest of the word, if any, is its value
            return flag.long if i == len(token) - 2 else None
    return None


def _flags(spec: "CommandSpec", word: str) -> list[str]:
    offered = ["--help"]
    for flag in spec.flags:
        offered.append(f"--{flag.long}")
        if flag.short:
            offered.append(f"-{flag.short}")
    return sorted(f for f in offered if f.startswith(word))


def _flag_values(flag: str, word: str) -> list[str]:
    if flag == "signal":
        return [s for s in SIGNALS if s.startswith(word.upper())]
    return []


def _arguments(kind: str, verb: str, word: str, names: Names) -> list[str]:
    found: set[str] = set()
    if kind.startswith(CONTAINER) or kind == BOTH:
        found |= _containers(kind.partition(":")[2], verb, word, names.containers)
    if kind.startswith(IMAGE) or kind == BOTH:
        found |= {ref for ref in names.images if ref.startswith(word)}
        if word:  # ids only once typing one: a list of hex strings helps nobody
            found |= {i for i in names.image_ids if i.startswith(word)}
    if kind == "image:pull":  # run and create pull what is missing: the registry's names too
        local = {ref.rpartition(":")[0] for ref in names.images}
        found |= {name for name in REGISTRY if name.startswith(word) and name not in local}
    if kind == "repository":
        found |= {ref.rpartition(":")[0] for ref in names.images if ref.startswith(word)}
    if kind == "registry":
        found |= {name for name in REGISTRY if name.startswith(word)}
    return sorted(found)


def _containers(state: str, verb: str, word: str, containers: list[Container]) -> set[str]:
    """Names (and ids, once the word could be one) of the containers in ``state`` that
    Docker lets ``verb`` act on (the lifecycle table decides: ``pause`` offers no paused
    one); all of them when none match, so Tab never hides a container Docker would name."""
    from ..model.lifecycle import allowed

    def matching(records: list[Container]) -> set[str]:
        found = {c.name for c in records if c.name.startswith(word)}
        if word:
            found |= {c.id[:12] for c in records if c.id.startswith(word)}
        return found

    wanted = [s for s in _STATES.get(state, ()) if allowed(s, verb)]
    if wanted:
        found = matching([c for c in containers if c.status in wanted])
        if found:
            return found
    return matching(containers)


def store_names(store: "Store") -> Names:
    """The containers and images in ``store``, read now (a few small JSON files)."""
    containers = []
    for record in store.containers.all():
        containers.append(Container(record.id, record.name, record.status))
    tags = store.images.tags()
    ids = sorted({image_id.removeprefix("sha256:")[:12] for image_id in store.images.ids()})
    return Names(containers, sorted(tags), ids)
