"""The part of Go's text/template that ``docker ... --format`` is used with.

``docker ps --format '{{.Names}}\\t{{.Status}}'`` and ``docker inspect -f
'{{.State.Pid}}'`` appear in every tutorial, so a learner types them here too. This module
parses such a template and executes it over plain Python values, printing them as Go's
``fmt`` would and failing with Go's words: fields (``.State.Status``), the pipe, string
and number arguments, ``if``/``else``/``range``/``with``/``end``, ``{{- -}}`` trimming,
comments, and the functions the docker CLI adds (``json``, ``join``, ``upper`` ...) next to
Go's own (``len``, ``index``, ``eq`` ...). Variables (``$x :=``) and methods with arguments
(``.Label "x"``) are not here: they fail, with a message that says so.

Pure: no I/O, no engine; the engine gives it dictionaries.
"""

from __future__ import annotations

import json
import re
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["TemplateError", "ParseError", "ExecError", "Template", "parse", "show"]


class TemplateError(Exception):
    """A template Go would refuse; the text is Go's."""


class ParseError(TemplateError):
    pass


class ExecError(TemplateError):
    pass


# ---------------------------------------------------------------- values printed as Go prints them

def show(value: Any, top: bool = True, maps: frozenset[str] = frozenset(), key: str = "",
         slices: frozenset[str] = frozenset()) -> str:
    """``value`` as ``{{.}}`` prints it: Go's ``%v`` of the struct, map, slice or scalar
    it stands for. A dictionary is a struct (``{v1 v2}``, in field order) unless the key it
    sits under names a Go map (``maps``): then ``map[k:v]``, sorted by key. A None under a
    key of ``slices`` or ``maps`` is a nil slice or map of a Go struct: ``[]``, ``map[]``.

    >>> show(None), show(None, key="Env", slices=frozenset(["Env"])), show(None, maps=frozenset(["Labels"]), key="Labels")
    ('<no value>', '[]', 'map[]')
    """
    if value is None:
        if key in slices:
            return "[]"
        if key in maps:
            return "map[]"
        return "<no value>" if top else "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(show(v, False, maps) for v in value) + "]"
    if isinstance(value, dict):
        if key in maps:
            return "map[" + " ".join(f"{k}:{show(value[k], False, maps)}" for k in sorted(value)) + "]"
        return "{" + " ".join(show(v, False, maps, k, slices) for k, v in value.items()) + "}"
    return str(value)


def go_json(value: Any, maps: frozenset[str] = frozenset(), key: str = "") -> str:
    """Go's ``json.Marshal``: compact, ``<>&`` escaped, maps sorted by key, structs in
    field order."""
    if isinstance(value, dict):
        items = sorted(value.items()) if key in maps else value.items()
        names = getattr(value, "json_names", {})  # a struct whose JSON names differ from its fields
        omit = getattr(value, "omit_empty", ())
        return "{" + ",".join(f"{_json_text(names.get(k, k))}:{go_json(v, maps, k)}" for k, v in items
                              if not (k in omit and not v)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(go_json(v, maps) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, str):
        return _json_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value)


def _json_text(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(char, escaped)
    return out


def _go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    return "interface {}"


def _truth(value: Any) -> bool:
    return value not in (None, False, 0, "", [], {}, ())


# ---------------------------------------------------------------- functions

def _index(value: Any, *keys: Any) -> Any:
    for key in keys:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            if isinstance(value, dict):
                return None  # Go: the zero value of a missing map key
            raise ExecError(f"error calling index: index out of range: {key}") from None
    return value


def _printf(form: str, *args: Any) -> str:
    values = iter(args)

    def one(match: re.Match) -> str:
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value = next(values, None)
        if verb == "%q":
            return json.dumps(show(value, False), ensure_ascii=False)
        if verb == "%d" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value))
        return show(value, False)

    return re.sub(r"%[-+# 0-9.]*[a-zA-Z%]", one, form)


def _truncate(text: str, length: int) -> str:
    return text[:length]


def _pad(text: str, before: int, after: int) -> str:
    return " " * before + text + " " * after


FUNCTIONS: dict[str, Callable[..., Any]] = {
    # The docker CLI's own (templates/templates.go)
    "json": lambda value: go_json(value),
    "join": lambda items, sep: sep.join(show(i, False) for i in items or []),
    "split": lambda text, sep: text.split(sep),
    "title": lambda text: text.title(),
    "lower": lambda text: text.lower(),
    "upper": lambda text: text.upper(),
    "pad": _pad,
    "truncate": _truncate,
    "println": lambda *args: " ".join(show(a, False) for a in args) + "\n",
    # Go's builtins
    "print": lambda *args: "".join(show(a, False) for a in args),
    "printf": _printf,
    "len": lambda value: len(value),
    "index": _index,
    "not": lambda value: not _truth(value),
    "and": lambda *args: next((a for a in args if not _truth(a)), args[-1]),
    "or": lambda *args: next((a for a in args if _truth(a)), args[-1]),
    "eq": lambda a, *others: any(a == o for o in others),
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
_KEYWORDS = ("if", "else", "end", "range", "with")


# ---------------------------------------------------------------- the parsed tree

class Field:
    """``.State.Status``: ``names`` ("State", "Status"); () is ``.`` itself."""

    __slots__ = ("names", "pos")

    def __init__(self, names: tuple[str, ...], pos: int) -> None:
        self.names, self.pos = names, pos

    def __str__(self) -> str:
        return "." + ".".join(self.names)


class Literal:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Command:
    """One function call or operand of a pipeline; ``words`` as typed, for Go's "at <...>"."""

    __slots__ = ("args", "pos", "words")

    def __init__(self) -> None:
        self.args: list[Any] = []  # Field | Literal | str (a function's name) | Pipeline
        self.pos = 0
        self.words: list[str] = []

    def __str__(self) -> str:
        return " ".join(self.words)


class Pipeline:
    __slots__ = ("commands", "pos")

    def __init__(self, commands: list[Command], pos: int) -> None:
        self.commands, self.pos = commands, pos


class Block:
    """``if``, ``range`` or ``with``: what runs when the pipeline holds, what runs when not."""

    __slots__ = ("kind", "pipeline", "body", "otherwise")

    def __init__(self, kind: str, pipeline: Pipeline) -> None:
        self.kind, self.pipeline = kind, pipeline
        self.body: list[Any] = []
        self.otherwise: list[Any] = []


_TOKEN = re.compile(r"""\s*(?:
      (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)
    | (?P<string>"(?:[^"\\\n]|\\.)*"|`[^`]*`)
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<pipe>\|)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<other>\S)
    )""", re.X)


class Template:
    """A parsed template; ``execute`` runs it over one value."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes = _Parser(source).parse()

    def execute(self, data: Any, missing: Callable[[Any, str], str] | None = None,
                maps: frozenset[str] = frozenset(), typed: bool = True, slices: frozenset[str] = frozenset()) -> str:
        """Run over ``data``. ``missing(value, name)`` words the error for a field that is
        not there (Go's differs for a map and for a struct); ``maps``: keys whose
        dictionaries print as Go maps rather than structs; ``typed``: False where Go would
        hold decoded JSON, whose values it calls ``interface {}``; ``slices``: keys whose
        None is a nil slice."""
        out: list[str] = []
        run = _Run(self.source, missing or _map_missing, maps, typed)
        run.slices = slices
        run.nodes(self.nodes, data, out)
        return "".join(out)


def parse(source: str) -> Template:
    return Template(source)


def _map_missing(value: Any, name: str) -> str:
    return f'map has no entry for key "{name}"'


def _line(source: str, pos: int) -> int:
    return 1 + source.count("\n", 0, pos)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def parse(self) -> list[Any]:
        root: list[Any] = []
        stack: list[tuple[Block, list[Any]]] = []  # open blocks and the list we append to
        current = root
        pos, text = 0, self.source
        while True:
            start = text.find("{{", pos)
            if start == -1:
                current.append(text[pos:])
                break
            end = text.find("}}", start + 2)
            if end == -1:
                raise ParseError(f"template: :{_line(text, start)}: unclosed action")
            inner = text[start + 2:end]
            left_trim = inner.startswith("- ") or inner.startswith("-\t") or inner.startswith("-\n")
            right_trim = inner.endswith(" -") or inner.endswith("\t-") or inner.endswith("\n-")
            literal = text[pos:start]
            if left_trim:
                literal = literal.rstrip()
            current.append(literal)
            pos = end + 2
            if right_trim:
                while pos < len(text) and text[pos].isspace():
                    pos += 1
                inner = inner[:-1]
            if left_trim:
                inner = inner[1:]
            body_start = start + 2 + (1 if left_trim else 0)
            stripped = inner.strip()
            if stripped.startswith("/*"):
                if not stripped.endswith("*/"):
                    raise ParseError(f"template: :{_line(text, start)}: unclosed comment")
                continue
            words = stripped.split(None, 1)
            keyword = words[0] if words and words[0] in _KEYWORDS else ""
            if keyword in ("if", "range", "with"):
                after = inner.find(keyword) + len(keyword)  # the pipeline, as typed: Go counts columns in it
                block = Block(keyword, self._pipeline(inner[after:], body_start + after, keyword))
                current.append(block)
                stack.append((block, current))
                current = block.body
            elif keyword == "else":
                if not stack:
                    raise ParseError(f"template: :{_line(text, start)}: unexpected {{{{else}}}}")
                block = stack[-1][0]
                if len(words) > 1:  # else if ...
                    nested_words = words[1].split(None, 1)
                    if nested_words[0] not in ("if", "with"):
                        raise ParseError(f"template: :{_line(text, start)}: unexpected {nested_words[0]!r} in else")
                    after = inner.find(nested_words[0], inner.find("else") + 4) + len(nested_words[0])
                    nested = Block(nested_words[0], self._pipeline(inner[after:], body_start + after, nested_words[0]))
                    block.otherwise.append(nested)
                    stack[-1] = (nested, stack[-1][1])  # its {{end}} closes both
                    current = nested.body
                else:
                    current = block.otherwise
            elif keyword == "end":
                if not stack:
                    raise ParseError(f"template: :{_line(text, start)}: unexpected {{{{end}}}}")
                _, current = stack.pop()
            else:
                current.append(self._pipeline(inner, body_start, ""))
        if stack:
            raise ParseError(f"template: :{_line(text, len(text))}: unexpected EOF")
        return root

    def _pipeline(self, source: str, offset: int, keyword: str) -> Pipeline:
        tokens = self._tokens(source, offset)
        if not tokens:
            what = f"{keyword}" if keyword else "command"
            raise ParseError(f"template: :{_line(self.source, offset)}: missing value for {what}")
        pipeline, rest = self._commands(tokens, offset)
        if rest:
            raise ParseError(f"template: :{_line(self.source, offset)}: unexpected \")\" in operand")
        return pipeline

    def _tokens(self, source: str, offset: int) -> list[tuple[str, str, int]]:
        tokens = []
        for match in _TOKEN.finditer(source):
            kind = match.lastgroup
            if kind is None:
                continue
            value = match.group(kind)
            where = offset + match.start(kind)
            if kind == "other":
                if value == "$" or value == ":":
                    raise ParseError(f"template: :{_line(self.source, where)}: variables are not supported here")
                raise ParseError(f"template: :{_line(self.source, where)}: unexpected \"{value}\" in command")
            if kind == "word" and value not in FUNCTIONS and value not in ("true", "false", "nil"):
                raise ParseError(f"template: :{_line(self.source, where)}: function \"{value}\" not defined")
            tokens.append((kind, value, where))
        return tokens

    def _commands(self, tokens: list[tuple[str, str, int]], offset: int) -> tuple[Pipeline, list]:
        commands: list[Command] = [Command()]
        while tokens:
            kind, value, where = tokens[0]
            tokens = tokens[1:]
            if kind not in ("pipe", "close"):
                if not commands[-1].words:
                    commands[-1].pos = where
                commands[-1].words.append(value if kind != "open" else "(...)")
            if kind == "pipe":
                if not commands[-1].args:
                    raise ParseError(f"template: :{_line(self.source, where)}: missing command")
                commands.append(Command())
            elif kind == "open":
                inner, tokens = self._commands(tokens, where)
                if not tokens or tokens[0][0] != "close":
                    raise ParseError(f"template: :{_line(self.source, where)}: unclosed left paren")
                tokens = tokens[1:]
                commands[-1].args.append(inner)
            elif kind == "close":
                return Pipeline(commands, offset), [(kind, value, where), *tokens]
            elif kind == "field":
                commands[-1].args.append(Field(tuple(value.split(".")[1:]) if value != "." else (), where))
            elif kind == "string":
                commands[-1].args.append(Literal(json.loads(value) if value[0] == '"' else value[1:-1]))
            elif kind == "number":
                commands[-1].args.append(Literal(float(value) if "." in value else int(value)))
            elif value in ("true", "false"):
                commands[-1].args.append(Literal(value == "true"))
            elif value == "nil":
                commands[-1].args.append(Literal(None))
            else:
                commands[-1].args.append(value)  # a function
        if not commands[-1].args:
            raise ParseError(f"template: :{_line(self.source, offset)}: missing command")
        return Pipeline(commands, offset), []


class _Run:
    def __init__(self, source: str, missing: Callable[[Any, str], str], maps: frozenset[str], typed: bool) -> None:
        self.source, self.missing, self.maps, self.typed = source, missing, maps, typed
        self.slices: frozenset[str] = frozenset()

    def _error(self, pos: int, node: str, why: str) -> ExecError:
        before = self.source[:pos]
        newline = before.rfind("\n")
        column = pos if newline == -1 else pos - newline - 1
        return ExecError(f'template: :{_line(self.source, pos)}:{column}: executing "" at <{node}>: {why}')

    def nodes(self, nodes: list[Any], dot: Any, out: list[str]) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, Pipeline):
                value, key = self.pipeline(node, dot)
                out.append(show(value, True, self.maps, key, self.slices))
            elif node.kind == "range":
                items, _ = self.pipeline(node.pipeline, dot)
                if isinstance(items, dict):
                    items = [items[k] for k in sorted(items)]
                if not items:
                    self.nodes(node.otherwise, dot, out)
                for item in items or []:
                    self.nodes(node.body, item, out)
            else:
                value, _ = self.pipeline(node.pipeline, dot)
                if _truth(value):
                    self.nodes(node.body, value if node.kind == "with" else dot, out)
                else:
                    self.nodes(node.otherwise, dot, out)

    def pipeline(self, pipeline: Pipeline, dot: Any) -> tuple[Any, str]:
        """The pipeline's value, and the last field name it read (how a map prints)."""
        value, key, piped = None, "", False
        for command in pipeline.commands:
            value, key = self.command(command, dot, value if piped else _NOTHING)
            piped = True
        return value, key

    def command(self, command: Command, dot: Any, piped: Any) -> tuple[Any, str]:
        first, *rest = command.args
        if isinstance(first, str):
            evaluated = [self.argument(a, dot) for a in rest]
            args = [value for value, _ in evaluated]
            if piped is not _NOTHING:
                args.append(piped)
            try:
                if first == "json":  # a Go map marshals with sorted keys, a struct in field order
                    if len(args) != 1:
                        raise TypeError
                    return go_json(args[0], self.maps, evaluated[0][1] if evaluated else ""), ""
                return FUNCTIONS[first](*args), ""
            except ExecError as err:
                raise self._error(command.pos, str(command), str(err)) from None
            except TypeError:
                raise self._error(command.pos, str(command),
                                  f"wrong number of args for {first}: got {len(args)}") from None
            except (ValueError, AttributeError) as err:
                raise self._error(command.pos, str(command), f"error calling {first}: {err}") from None
        if rest or piped is not _NOTHING:
            raise self._error(command.pos, str(command), f"can't give argument to non-function {command.words[0]}")
        return self.argument(first, dot)

    def argument(self, arg: Any, dot: Any) -> tuple[Any, str]:
        if isinstance(arg, Literal):
            return arg.value, ""
        if isinstance(arg, Pipeline):
            return self.pipeline(arg, dot)
        value, key = dot, ""
        # Go's parser gives a chain of fields (.State.Status) the position of its second field
        at = arg.pos + (len(arg.names[0]) + 1 if len(arg.names) > 1 else 0)
        for name in arg.names:
            if isinstance(value, dict):
                if name not in value:
                    raise self._error(at, str(arg), self.missing(value, name))
                value, key = value[name], name
            elif value is None:
                raise self._error(at, str(arg), f"nil pointer evaluating interface {{}}.{name}")
            else:
                kind = _go_type(value) if self.typed else "interface {}"
                raise self._error(at, str(arg), f"can't evaluate field {name} in type {kind}")
        return value, key


_NOTHING = object()
