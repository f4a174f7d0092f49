"""A command-line parser that behaves like the docker CLI's (cobra and pflag).

Why not argparse: Docker's wording and exit codes for bad flags are part of what a learner
sees (``unknown flag: --nope``, exit 125), and ``run``/``exec`` stop reading flags at the
first argument (``docker run busybox ls -l`` passes ``-l`` to ``ls``).
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

from ..model.errors import UsageError

__all__ = ["CommandSpec", "Flag", "parse", "parse_or_answer"]


class Flag(namedtuple("Flag", ["long", "short", "kind", "help", "dest", "default"],
                       defaults=["", "bool", "", "", None])):
    """One option; ``kind`` is bool, str, int, list, filter (a list of name=value) or label
    (a list of key[=value])."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.dest or self.long.replace("-", "_")

    @property
    def label(self) -> str:
        return f"-{self.short}, --{self.long}" if self.short else f"--{self.long}"


class CommandSpec(namedtuple("CommandSpec", ["name", "usage", "summary", "flags", "min_args", "max_args", "interspersed"],
                             defaults=[(), 0, None, True])):
    """A subcommand: ``usage`` follows "docker <name> "; ``interspersed`` False means flags end
    at the first argument (run, create, exec)."""

    __slots__ = ()

    def flag(self, token: str) -> Flag | None:
        for f in self.flags:
            if token in (f.long, f.short):
                return f
        return None

    def usage_line(self) -> str:
        return f"Usage:  docker {self.name} {self.usage}".rstrip()

    def help_text(self) -> str:
        lines = [self.usage_line(), "", self.summary, ""]
        if self.flags:
            lines.append("Options:")
            width = max(len(_flag_column(f)) for f in self.flags) + 2
            for f in self.flags:
                lines.append(f"  {_flag_column(f).ljust(width)}{f.help}")
        return "\n".join(lines) + "\n"


def _flag_column(f: Flag) -> str:
    left = f"-{f.short}, --{f.long}" if f.short else f"    --{f.long}"
    kinds = {"str": " string", "int": " int", "list": " list", "filter": " filter", "label": " list", "bool": ""}
    return left + kinds[f.kind]


class Parsed:
    """What ``parse`` found: option values by name, the arguments, and whether help was asked."""

    def __init__(self, options: "dict[str, Any] | None" = None) -> None:
        self.options: dict[str, Any] = options or {}
        self.args: list[str] = []
        self.help = False
        self.verb = ""  # the command it is, whatever name it was typed as (`container ls`: ps)


def _flag_error(spec: CommandSpec, message: str) -> UsageError:
    return UsageError(
        f"{message}\n\n{spec.usage_line()}\n\nRun 'docker {spec.name} --help' for more information")


def _convert(spec: CommandSpec, flag: Flag, value: str) -> Any:
    if flag.kind == "int":
        try:
            return int(value)
        except ValueError:
            raise _flag_error(
                spec, f'invalid argument "{value}" for "{flag.label}" flag: strconv.ParseInt: parsing "{value}": invalid syntax'
            ) from None
    if flag.kind == "filter" and "=" not in value:
        raise _flag_error(
            spec, f'invalid argument "{value}" for "{flag.label}" flag: bad format of filter (expected name=value)')
    if flag.kind == "label" and not value.partition("=")[0].strip():
        raise _flag_error(spec, f'invalid argument "{value}" for "{flag.label}" flag: invalid label \'{value}\': empty name')
    return value


def _store(parsed: Parsed, flag: Flag, value: Any) -> None:
    if flag.kind in ("list", "filter", "label"):
        parsed.options.setdefault(flag.name, []).append(value)
    else:
        parsed.options[flag.name] = value


def parse(spec: CommandSpec, argv: list[str]) -> Parsed:
    """Parse ``argv`` (the words after the subcommand) as the docker CLI would.

    >>> from simulator.cli.commands import SPECS
    >>> p = parse(SPECS["run"], ["-d", "--name=web", "busybox", "ls", "-l"])
    >>> p.options["detach"], p.options["name"], p.args
    (True, 'web', ['busybox', 'ls', '-l'])
    >>> parse(SPECS["ps"], ["--nope"])
    Traceback (most recent call last):
    ...
    simulator.model.errors.UsageError: unknown flag: --nope
    <BLANKLINE>
    Usage:  docker ps [OPTIONS]
    <BLANKLINE>
    Run 'docker ps --help' for more information
    """
    parsed = Parsed({f.name: ([] if f.kind in ("list", "filter", "label") else f.default) for f in spec.flags})
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token == "--":
            parsed.args.extend(argv[i:])
            break
        if token.startswith("--") and len(token) > 2:
            name, eq, value = token[2:].partition("=")
            if name == "help":
                parsed.help = True
                continue
            flag = spec.flag(name) if len(name) > 1 else None
            if flag is None:
                raise _flag_error(spec, f"unknown flag: --{name}")
            if flag.kind == "bool":
                if eq and value not in ("true", "false", "1", "0"):
                    raise _flag_error(spec, f'invalid argument "{value}" for "{flag.label}" flag: strconv.ParseBool: parsing "{value}": invalid syntax')
                _store(parsed, flag, value in ("true", "1") if eq else True)
            elif eq:
                _store(parsed, flag, _convert(spec, flag, value))
            elif i < len(argv):
                _store(parsed, flag, _convert(spec, flag, argv[i]))
                i += 1
            else:
                raise _flag_error(spec, f"flag needs an argument: --{name}")
        elif token.startswith("-") and len(token) > 1:
            shorts = token[1:]
            j = 0
            while j < len(shorts):
                letter = shorts[j]
                j += 1
                if letter == "h":
                    parsed.help = True
                    continue
                flag = spec.flag(letter)
                if flag is None:
                    raise _flag_error(spec, f"unknown shorthand flag: '{letter}' in -{shorts}")
                if flag.kind == "bool":
                    if shorts[j:j + 1] == "=":  # -H=false
                        value = shorts[j + 1:]
                        if value not in ("true", "false", "1", "0"):
                            raise _flag_error(spec, f'invalid argument "{value}" for "{flag.label}" flag: '
                                                    f'strconv.ParseBool: parsing "{value}": invalid syntax')
                        _store(parsed, flag, value in ("true", "1"))
                        break
                    _store(parsed, flag, True)
                    continue
                rest = shorts[j:]
                if rest.startswith("="):
                    rest = rest[1:]
                if rest:
                    _store(parsed, flag, _convert(spec, flag, rest))
                elif i < len(argv):
                    _store(parsed, flag, _convert(spec, flag, argv[i]))
                    i += 1
                else:
                    raise _flag_error(spec, f"flag needs an argument: '{letter}' in -{shorts}")
                break
        else:
            parsed.args.append(token)
            if not spec.interspersed:
                parsed.args.extend(argv[i:])
                break
    if parsed.help:
        return parsed
    _check_count(spec, len(parsed.args))
    return parsed


def _check_count(spec: CommandSpec, n: int) -> None:
    lo, hi = spec.min_args, spec.max_args
    if lo <= n and (hi is None or n <= hi):
        return
    if hi == 0:
        message, tail = f"'docker {spec.name}' accepts no arguments", "Run"
    elif lo == hi:
        plural = "argument" if lo == 1 else "arguments"
        message, tail = f"'docker {spec.name}' requires {lo} {plural}", "Run"
    elif hi is None:
        plural = "argument" if lo == 1 else "arguments"
        message, tail = f"'docker {spec.name}' requires at least {lo} {plural}", "See"
    elif lo == 0:
        plural = "argument" if hi == 1 else "arguments"
        message, tail = f"'docker {spec.name}' requires at most {hi} {plural}", "SRun"  # sic: Docker 20.10's own words
    else:
        message, tail = f"'docker {spec.name}' requires at least {lo} and at most {hi} arguments", "Run"
    raise UsageError(
        f"docker: {message}\n\n{spec.usage_line()}\n\n{tail} 'docker {spec.name} --help' for more information",
        exit_code=1,
    )


def parse_or_answer(spec: CommandSpec, argv: list[str]) -> "Parsed | int":
    """For dockersim's own subcommands: the parsed line, or the exit code once a usage error
    or the help text has been printed."""
    import sys

    try:
        parsed = parse(spec, argv)
    except UsageError as err:
        sys.stderr.write(f"{err}\n")
        return err.exit_code
    if parsed.help:
        sys.stdout.write(spec.help_text())
        return 0
    return parsed
