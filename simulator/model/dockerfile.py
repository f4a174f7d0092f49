"""Dockerfiles: the parser and the classic builder's rules, as Docker 20.10's classic builder
applies them. Pure: text in, instructions out.

>>> [i.keyword for i in parse("FROM busybox\\n# note\\nRUN echo a \\\\\\n  b\\n")]
['FROM', 'RUN']
>>> parse("FROM busybox\\nRUN echo a \\\\\\n  b\\n")[1].args
'echo a   b'
"""

from __future__ import annotations

import json
import re
import shlex
from collections import namedtuple

from .errors import DaemonError

__all__ = ["INSTRUCTIONS", "Instruction", "created_by", "label_steps", "parse", "split_command"]

INSTRUCTIONS = {
    "FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "CMD", "ENTRYPOINT", "LABEL", "EXPOSE", "USER",
    "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER",
}


class Instruction(namedtuple("Instruction", ["keyword", "args", "line", "original"])):
    """One instruction: ``args`` is the text after the keyword, continuations joined."""

    __slots__ = ()

    def json_args(self) -> list[str] | None:
        """The exec form (``["cat", "x"]``), or None for the shell form."""
        text = self.args.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                return None
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
        return None


def _parse_error(line: int, message: str) -> DaemonError:
    return DaemonError(f"dockerfile parse error line {line}: {message}")


def parse(text: str) -> list[Instruction]:
    """Instructions of a Dockerfile, with the parser directive ``# escape=`` honoured."""
    escape = "\\"
    lines = text.splitlines()
    for raw in lines:  # parser directives: only at the very top, before anything else
        m = re.match(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$", raw)
        if not m:
            break
        if m.group(1).lower() == "escape":
            if m.group(2) not in ("\\", "`"):
                raise _parse_error(1, f"invalid ESCAPE '{m.group(2)}'. Must be ` or \\")
            escape = m.group(2)
    out: list[Instruction] = []
    pending, start, original = "", 0, []

    def finish() -> None:
        keyword, _, args = pending.strip().partition(" ")
        if keyword.upper() not in INSTRUCTIONS:
            raise _parse_error(start, f"unknown instruction: {keyword.upper()}")
        out.append(Instruction(keyword.upper(), args.strip(), start, "\n".join(original)))

    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # comments inside a continued instruction are dropped
        if not pending:
            start = number
        original.append(raw)
        if raw.rstrip().endswith(escape):
            pending += raw.rstrip()[:-1]
            continue
        pending += raw
        finish()
        pending, original = "", []
    if pending:  # the last line ended with the escape character
        finish()
    return out


def split_command(instruction: Instruction) -> list[str]:
    """RUN/CMD/ENTRYPOINT as an argv: the exec form as written, the shell form via sh -c."""
    exec_form = instruction.json_args()
    return exec_form if exec_form is not None else ["/bin/sh", "-c", instruction.args]


def _go_list(values: list[str]) -> str:
    """How Go prints a []string with %v: ``[cat hello.txt]``; the builder quotes each: ``["cat" "hello.txt"]``."""
    return "[" + " ".join(json.dumps(v) for v in values) + "]"


def created_by(instruction: Instruction, copy_digest: str = "") -> str:
    """The history row's ``created_by`` the classic builder writes for ``instruction``.

    >>> created_by(parse('CMD ["cat", "hello.txt"]')[0])
    '/bin/sh -c #(nop)  CMD ["cat" "hello.txt"]'
    >>> created_by(parse("WORKDIR /app")[0])
    '/bin/sh -c #(nop) WORKDIR /app'
    >>> created_by(parse("RUN echo hi")[0])
    '/bin/sh -c echo hi'
    """
    k, args = instruction.keyword, instruction.args
    if k == "RUN":
        exec_form = instruction.json_args()
        return " ".join(exec_form) if exec_form is not None else f"/bin/sh -c {args}"
    if k in ("COPY", "ADD"):
        *_, dest = shlex.split(args) if not args.startswith("[") else json.loads(args)
        return f"/bin/sh -c #(nop) {k} {copy_digest} in {dest} "
    if k == "WORKDIR":
        return f"/bin/sh -c #(nop) WORKDIR {args}"
    if k in ("CMD", "ENTRYPOINT"):
        return f"/bin/sh -c #(nop)  {k} {_go_list(split_command(instruction))}"
    if k == "ENV":
        return f"/bin/sh -c #(nop)  ENV {' '.join(f'{n}={v}' for n, v in key_values(args))}"
    if k == "LABEL":
        return f"/bin/sh -c #(nop)  LABEL {' '.join(f'{n}={v}' for n, v in key_values(args))}"
    if k == "EXPOSE":
        return f"/bin/sh -c #(nop)  EXPOSE {' '.join(sorted(args.split()))}"
    return f"/bin/sh -c #(nop)  {k} {args}"


def key_values(args: str) -> list[tuple[str, str]]:
    """ENV/LABEL arguments: ``A=1 B="two words"`` or the old form ``A one value``.

    >>> key_values('A=1 B="two words"')
    [('A', '1'), ('B', 'two words')]
    >>> key_values("GREETING hello world")
    [('GREETING', 'hello world')]
    """
    first = args.split(None, 1)
    if first and "=" not in first[0]:
        return [(first[0], first[1] if len(first) > 1 else "")]
    return [tuple(item.split("=", 1)) for item in shlex.split(args)]  # type: ignore[misc]


def label_steps(labels: list[str]) -> list[Instruction]:
    """``docker build --label k=v``: one more ``LABEL`` step per label after the
    Dockerfile's, as the classic builder adds them (in key order here; Docker's is a map's).

    >>> [i.args for i in label_steps(["b=two words", "a"])]
    ['a=""', 'b="two words"']
    """
    from .objects import parse_labels

    return [Instruction("LABEL", f"{key}={json.dumps(value)}", 0, f"LABEL {key}={value}")
            for key, value in sorted(parse_labels(labels).items())]
