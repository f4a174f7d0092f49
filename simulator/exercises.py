"""Predict, then run: the pure half of the lessons' exercises.

A learner writes a prediction; a command runs; a *measure* reads the value the prediction is
about from that command's Step; ``judge`` compares the two and says right or wrong, and why.
Nothing here runs a command or touches the disk (``notebook.predict`` does that), so every
rule can be checked on hand-made Steps.

Measures (each takes the Step of the command that ran):

==========================  ===========================================================
``output``                  what the command printed, trimmed
``lines``                   how many lines it printed (``ps -q``: how many containers)
``exit_code``               the command's own exit code (1 when Docker refuses)
``count(text)``             how often ``text`` appears in what it printed
``field(path, then)``       a field of ``inspect``'s JSON, e.g. ``field("Config.Cmd")``
``status(container)``       the container's state afterwards: created, running, ...
``exited_with(container)``  the exit code the container's main process ended with
``layers(image)``           how many read-only layers the image has afterwards
==========================  ===========================================================

>>> from simulator.step import ContainerView, Snapshot, Step
>>> web = ContainerView("c0ffee", "web", "exited", "sha256:1", "busybox", "sh", 137)
>>> step = Step("kill web", stdout="web\\n", after=Snapshot(containers=(web,)))
>>> print(judge(137, exited_with("web")(step), why="SIGKILL: 128 + 9."))
✓ Right: 137. SIGKILL: 128 + 9.
>>> print(judge(0, exited_with("web")(step)))
✗ Not quite: you predicted 0, and it is 137.
"""

from __future__ import annotations

import json
from html import escape

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Callable

    from .step import ContainerView, ImageView, Step

    Measure = Callable[[Step], Any]

__all__ = ["Verdict", "count", "exit_code", "exited_with", "field", "judge", "layers", "lines", "output", "same", "status"]

#: What a verdict says, in each language of the figures.
SAY: dict[str, dict[str, str]] = {
    "right": {"en": "✓ Right: {actual}.", "zh": "✓ 对了：{actual}。"},
    "wrong": {"en": "✗ Not quite: you predicted {answer}, and it is {actual}.",
              "zh": "✗ 不对：你预测的是 {answer}，实际是 {actual}。"},
}


# ---------------------------------------------------------------------- measures
def output(step: "Step") -> str:
    """What the command printed on stdout, without the surrounding blank space."""
    return step.stdout.strip()


def lines(step: "Step") -> int:
    """How many non-empty lines the command printed (``ps -q``: one per container)."""
    return sum(1 for line in step.stdout.splitlines() if line.strip())


def exit_code(step: "Step") -> int:
    """The command's own exit code: 0 when Docker did it, 1 when it refused."""
    return step.exit_code


def count(text: str) -> "Measure":
    """How often ``text`` appears in the command's output (``count("Using cache")``)."""

    def measure(step: "Step") -> int:
        return step.stdout.count(text)

    return measure


def field(path: str, then: "Callable[[Any], Any] | None" = None) -> "Measure":
    """A field of the first object ``inspect`` printed, by dotted path, passed through ``then``.

    >>> from simulator.step import Step
    >>> field("RootFS.Layers", len)(Step("inspect busybox", stdout='[{"RootFS": {"Layers": ["sha256:a"]}}]'))
    1
    """

    def measure(step: "Step") -> Any:
        try:
            value = json.loads(step.stdout)[0]
        except (ValueError, IndexError):
            raise LookupError(f"`docker {step.command}` printed no object to read {path} from: "
                              f"{(step.stdout + step.stderr).strip()}") from None
        for key in path.split("."):
            value = value[key]
        return then(value) if then else value

    return measure


def status(container: str) -> "Measure":
    """The container's state after the command: created, running, paused or exited."""

    def measure(step: "Step") -> str:
        return _container(step, container).status

    return measure


def exited_with(container: str) -> "Measure":
    """The exit code the container's main process ended with (0 while it runs)."""

    def measure(step: "Step") -> int:
        return _container(step, container).exit_code

    return measure


def layers(image: str) -> "Measure":
    """How many read-only layers ``image`` (a name, ``busybox`` = ``busybox:latest``) has."""

    def measure(step: "Step") -> int:
        return len(_image(step, image).layers)

    return measure


def _container(step: "Step", typed: str) -> "ContainerView":
    """The container ``typed`` names (as Docker resolves it) in the state after ``step``."""
    from .model.errors import DockerError
    from .model.names import resolve

    containers = _after(step).containers
    try:
        wanted = resolve(typed, [(c.id, c.name) for c in containers])
    except DockerError:
        raise LookupError(f"there is no container {typed!r} after `docker {step.command}` "
                          "(were the cells above run, in order?)") from None
    return next(c for c in containers if c.id == wanted)


def _image(step: "Step", typed: str) -> "ImageView":
    """The image ``typed`` names (tag, id or id prefix, as Docker resolves it) after ``step``."""
    from .model.errors import DockerError
    from .model.names import resolve_image

    images = _after(step).images
    try:
        wanted = resolve_image(typed, {tag: i.id for i in images for tag in i.tags}, [i.id for i in images])
    except DockerError:
        raise LookupError(f"there is no image {typed!r} after `docker {step.command}` "
                          "(were the cells above run, in order?)") from None
    return next(i for i in images if i.id == wanted)


def _after(step: "Step"):
    if step.after is None:
        raise LookupError(f"`docker {step.command}` kept no snapshot of the state after it")
    return step.after


# ---------------------------------------------------------------------- verdicts
def same(answer: Any, actual: Any) -> bool:
    """Whether a prediction matches, forgiving what a learner should not be marked down for:
    case and spacing in text, and a number typed as text.

    >>> same("Exited", "exited"), same("2", 2), same(["sh"], ["sh"]), same(1, 2)
    (True, True, True, False)
    """
    if isinstance(answer, str) and isinstance(actual, str):
        return _words(answer) == _words(actual)
    for text, other in ((answer, actual), (actual, answer)):
        if isinstance(text, str) and isinstance(other, (int, float)) and not isinstance(other, bool):
            try:
                return float(text) == other
            except ValueError:
                return False
    return answer == actual


def _words(text: str) -> list[list[str]]:
    return [line.casefold().split() for line in text.strip().splitlines() if line.strip()]


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


class Verdict:
    """A prediction, the value the engine gave, and whether they agree; it shows itself as
    text (``print``, a terminal), as HTML in Jupyter, and in rich."""

    __slots__ = ("answer", "actual", "why", "command", "lang")

    def __init__(self, answer: Any, actual: Any, why: str = "", command: str = "", lang: str = "en") -> None:
        self.answer = answer
        self.actual = actual
        self.why = why
        self.command = command
        self.lang = lang

    @property
    def right(self) -> bool:
        return same(self.answer, self.actual)

    def __bool__(self) -> bool:
        return self.right

    def headline(self) -> str:
        """One sentence: right, or what was predicted and what it is."""
        template = SAY["right" if self.right else "wrong"]
        text = template.get(self.lang, template["en"])
        return text.format(answer=_shown(self.answer), actual=_shown(self.actual))

    def __str__(self) -> str:
        space = "" if self.lang == "zh" else " "  # Chinese sentences follow each other unspaced
        return f"{self.headline()}{space}{self.why}".rstrip()

    def __repr__(self) -> str:
        return f"Verdict(answer={self.answer!r}, actual={self.actual!r}, right={self.right})"

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.right else "#c62828"
        why = f'<div style="margin-top: 2px">{escape(self.why)}</div>' if self.why else ""
        return (f'<div class="dockersim-verdict {"right" if self.right else "wrong"}" '
                f'style="border-left: 4px solid {colour}; padding: 4px 10px; margin: 4px 0">'
                f'<b style="color: {colour}">{escape(self.headline())}</b>{why}</div>')

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, str]:
        bundle = {"text/plain": str(self), "text/html": self._repr_html_()}
        wanted = set(include or bundle) - set(exclude or ())
        return {mime: text for mime, text in bundle.items() if mime in wanted}

    def __rich__(self) -> str:
        from rich.markup import escape as rich_escape

        style = "green" if self.right else "red"
        return f"[bold {style}]{rich_escape(self.headline())}[/] {rich_escape(self.why)}".rstrip()


def judge(answer: Any, actual: Any, *, why: str = "", command: str = "", lang: str = "en") -> Verdict:
    """The verdict on ``answer`` given the value ``actual`` a measure read."""
    return Verdict(answer, actual, why, command, lang)
