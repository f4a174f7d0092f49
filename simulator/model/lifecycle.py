"""The container lifecycle: which command is allowed from which state, and what follows.

Everything that decides a container's state lives in this file, and nothing here touches a
disk, a clock or a process. The engine asks ``next_state(state, verb, ...)`` before it acts
and gets either the state to record afterwards or the exact error Docker prints.

The rules are one table, ``TRANSITIONS``, declared as data for a ``transitions.Machine``;
the refusals, with Docker's words, are a second table, ``REFUSALS``. Tests, docs and the
command-map figure all read these two tables.

>>> next_state("created", "start")
'running'
>>> next_state("running", "rm", ContainerRef("0123abcd" * 8, "web"))
Traceback (most recent call last):
...
simulator.model.errors.Conflict: Error response from daemon: You cannot remove a running container 0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd. Stop the container before attempting removal or force remove
"""

from __future__ import annotations

import enum
from collections import namedtuple
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

from .errors import Conflict, DockerError, NotRunning

__all__ = [
    "COMMANDS",
    "ContainerRef",
    "REFUSALS",
    "STATES",
    "State",
    "TRANSITIONS",
    "next_state",
]


class State(str, enum.Enum):
    """Docker's ``State.Status`` values that dockersim models."""

    CREATED = "created"
    RUNNING = "running"
    PAUSED = "paused"
    EXITED = "exited"
    REMOVED = "removed"

    def __str__(self) -> str:  # so f-strings print "running", not "State.RUNNING"
        return self.value


STATES = [s.value for s in State]
LIVE = ["running", "paused"]
STATIC = ["created", "exited"]

#: Every lifecycle command as a trigger. A command that is allowed but changes nothing
#: (``stop`` of a stopped container) is an internal transition (dest ``None``... written
#: here as ``"="``: same state).
TRANSITIONS: list[dict] = [
    dict(trigger="create", source="initial", dest="created"),
    dict(trigger="start", source=STATIC, dest="running"),
    dict(trigger="start", source="running", dest="="),
    dict(trigger="stop", source=LIVE, dest="exited"),
    dict(trigger="stop", source=STATIC, dest="="),
    dict(trigger="restart", source=STATIC + LIVE, dest="running"),
    # A signal is delivered and a paused container thawed; if the process then ends, "die"
    # follows (SIGKILL always ends it; PID 1 ignores signals it has no handler for).
    dict(trigger="kill", source=LIVE, dest="running"),
    dict(trigger="pause", source="running", dest="paused"),
    dict(trigger="unpause", source="paused", dest="running"),
    dict(trigger="rm", source=STATIC, dest="removed"),
    dict(trigger="rm_force", source=STATIC + LIVE, dest="removed"),
    dict(trigger="exec", source="running", dest="="),
    dict(trigger="top", source=LIVE, dest="="),
    dict(trigger="die", source=LIVE, dest="exited"),
    dict(trigger="wait", source=STATIC + LIVE, dest="="),
    dict(trigger="attach", source="running", dest="="),
]

COMMANDS = sorted({t["trigger"] for t in TRANSITIONS})


class ContainerRef(namedtuple("ContainerRef", ["id", "name", "typed"], defaults=[""])):
    """What an error message may name: the full id, the name, and what the user typed."""

    __slots__ = ()


if TYPE_CHECKING:
    from typing import Callable

    Refusal = Callable[[ContainerRef], DockerError]


def _not_running(c: ContainerRef) -> DockerError:
    return NotRunning(f"Container {c.id} is not running")


#: (command, state) -> the error Docker answers with. Docker's texts, verbatim.
REFUSALS: "dict[tuple[str, str], Refusal]" = {
    ("start", "paused"): lambda c: Conflict("cannot start a paused container, try unpause instead"),
    ("kill", "created"): lambda c: NotRunning(f"Cannot kill container: {c.typed or c.name}: Container {c.id} is not running"),
    ("kill", "exited"): lambda c: NotRunning(f"Cannot kill container: {c.typed or c.name}: Container {c.id} is not running"),
    ("pause", "created"): _not_running,
    ("pause", "exited"): _not_running,
    ("pause", "paused"): lambda c: Conflict(f"Container {c.id} is already paused"),
    ("unpause", "created"): lambda c: Conflict(f"Container {c.id} is not paused"),
    ("unpause", "exited"): lambda c: Conflict(f"Container {c.id} is not paused"),
    ("unpause", "running"): lambda c: Conflict(f"Container {c.id} is not paused"),
    ("rm", "running"): lambda c: Conflict(
        f"You cannot remove a running container {c.id}. "
        "Stop the container before attempting removal or force remove"
    ),
    ("rm", "paused"): lambda c: Conflict(
        f"You cannot remove a paused container {c.id}. "
        "Unpause and then stop the container before attempting removal or force remove"
    ),
    ("exec", "created"): _not_running,
    ("exec", "exited"): _not_running,
    ("exec", "paused"): lambda c: Conflict(f"Container {c.typed or c.name} is paused, unpause the container before exec"),
    ("top", "created"): _not_running,
    ("top", "exited"): _not_running,
    # the client refuses these itself, from what it inspected: no "Error response from daemon"
    ("attach", "created"): lambda c: DockerError("You cannot attach to a stopped container, start it first"),
    ("attach", "exited"): lambda c: DockerError("You cannot attach to a stopped container, start it first"),
    ("attach", "paused"): lambda c: DockerError("You cannot attach to a paused container, unpause it first"),
}

def _sources(transition: dict) -> list[str]:
    source = transition["source"]
    return [source] if isinstance(source, str) else list(source)


#: (state, command) -> next state: TRANSITIONS as a lookup table, as h11 keeps its rules.
#: ``machine()`` builds the same table into a ``transitions.Machine``; a test checks that the
#: two agree on every pair. Commands look here, so none of them waits ~20 ms for the import.
TABLE: dict[tuple[str, str], str] = {
    (source, t["trigger"]): source if t["dest"] == "=" else t["dest"]
    for t in TRANSITIONS
    for source in _sources(t)
}

_machine = None


def machine():
    """The lifecycle as a ``transitions.Machine`` (for diagrams, docs and the tests)."""
    global _machine
    if _machine is None:
        from transitions import Machine

        _machine = Machine(
            model=None,
            states=["initial", *STATES],
            transitions=[dict(t, dest=None) if t["dest"] == "=" else t for t in TRANSITIONS],
            initial="initial",
            auto_transitions=False,
            send_event=False,
        )
    return _machine


def next_state(state: str, verb: str, ref: ContainerRef | None = None) -> str:
    """The state after ``verb`` from ``state``, or raise the error Docker gives.

    >>> next_state("running", "pause")
    'paused'
    >>> next_state("exited", "stop")
    'exited'
    >>> next_state("created", "pause", ContainerRef("abc", "web"))
    Traceback (most recent call last):
    ...
    simulator.model.errors.NotRunning: Error response from daemon: Container abc is not running
    """
    dest = TABLE.get((str(state), verb))
    if dest is not None:
        return dest
    refusal = REFUSALS.get((verb, str(state)))
    if refusal is None:  # a gap in the tables is a bug, never a silent refusal
        raise AssertionError(f"no rule for {verb!r} from {state!r}")
    raise refusal(ref or ContainerRef("", ""))


def allowed(state: str, verb: str) -> bool:
    """Whether ``verb`` is allowed from ``state`` (no error is built)."""
    return (str(state), verb) in TABLE
