"""``dockersim shell``: a ``docker>`` prompt, for a class that types one command after another.

Each line goes through the same parser and handlers as ``dockersim <line>`` (so output,
errors and exit codes are Docker's) and draws its step figure into ``DOCKERSIM_DIAGRAMS``,
where ``dockersim serve`` shows it live. The prompt adds what a terminal gives a shell:
line editing and history (GNU readline; the history file lives in the data root, beside
the containers it names), Tab completion of subcommands, containers, images and flags
(``completion.py``), and the last exit code in the prompt when it was not 0.

With a pipe or a file on stdin it reads the lines without prompting and exits with the
last command's status, so a lesson can be a plain text file: ``dockersim shell < lesson``.
"""

from __future__ import annotations

import contextlib
import os
import sys

from . import without_docker

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType
    from typing import Iterator

    from ..engine import Engine
    from .completion import Names

__all__ = ["HISTORY_FILE", "HISTORY_LENGTH", "Session", "main", "prompt"]

HISTORY_FILE = "shell-history"  # in the data root
HISTORY_LENGTH = 1000
#: Exit status of a line that cannot be split into words (as a shell's syntax error).
SYNTAX_ERROR = 2


def prompt(status: int) -> str:
    """``docker> ``, or ``docker [1]> `` after a command that failed.

    >>> prompt(0), prompt(125)
    ('docker> ', 'docker [125]> ')
    """
    return f"docker [{status}]> " if status else "docker> "


class Session:
    """One shell session: one engine (it reads the store on every call, so containers
    started from another terminal are seen), and the last exit status."""

    def __init__(self) -> None:
        self.status = 0
        self.exit_code: int | None = None  # what ``exit N`` asked for
        self._engine: Engine | None = None

    @property
    def engine(self) -> "Engine":
        if self._engine is None:  # on the first command: the prompt comes up at once
            from ..engine import Engine

            self._engine = Engine(snapshots="none")
        return self._engine

    def names(self) -> "Names":
        """What Tab may offer, read from the store now: another terminal may have changed it."""
        from .completion import store_names

        return store_names(self.engine.store)

    def handle(self, line: str) -> bool:
        """Carry out one line; False when it asks to leave (``exit``, ``quit``)."""
        from .commands import split_line

        try:
            words = split_line(line)
        except ValueError as err:
            sys.stderr.write(f"dockersim: cannot read this line: {str(err).lower()}\n")
            self.status = SYNTAX_ERROR
            return True
        if not words:
            return True
        if words[0] in ("exit", "quit"):
            return self._leave(words)
        rest = without_docker(words)
        if not rest or rest[0] in ("help", "-h", "--help"):
            sys.stdout.write(help_text(rest[1:]))
            self.status = 0
        elif rest[0] == "shell":
            sys.stderr.write("dockersim: this is the shell already\n")
            self.status = 1
        else:
            self.status = self._dispatch(words)
        return True

    def _dispatch(self, words: list[str]) -> int:
        from ..model.errors import DataRootError
        from . import dispatch

        try:
            return dispatch(words, self.engine)
        except KeyboardInterrupt:  # Ctrl-C outside a command's own handling: as the CLI
            return 130
        except DataRootError as err:  # no engine to be had: each line says why, as the CLI
            sys.stderr.write(f"{err}\n")
            return err.exit_code
        finally:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()

    def _leave(self, words: list[str]) -> bool:
        """``exit N`` leaves with N; a bare ``exit`` leaves the choice to the caller (0 at
        the prompt, the last command's status at the end of a script)."""
        if len(words) > 1:
            try:
                self.exit_code = int(words[1]) & 0xFF
            except ValueError:
                sys.stderr.write(f"dockersim: exit: {words[1]}: numeric argument required\n")
                self.exit_code = SYNTAX_ERROR
        return False


def help_text(topic: list[str]) -> str:
    """``help``: the commands and the keys; ``help run``: that command's flags."""
    from .commands import MANAGEMENT, SPECS, management_help, understand
    from .figures import diagrams_dir
    from ..store import default_root

    if topic and topic[0] in MANAGEMENT:  # help container, help container ls
        asked = understand([*topic[:2], "--help"]).stdout if len(topic) > 1 else ""
        return asked or management_help(topic[0])
    if topic and topic[0] in SPECS:
        return SPECS[topic[0]].help_text()
    top = {name: spec for name, spec in SPECS.items() if " " not in name}  # `container prune`: under container
    width = max(map(len, [*top, *MANAGEMENT])) + 2
    commands = "".join(f"  {name.ljust(width)}{spec.summary}\n" for name, spec in top.items())
    commands += "".join(f"  {name.ljust(width)}{summary} (help {name}: its commands)\n"
                        for name, (summary, _) in MANAGEMENT.items())
    folder = diagrams_dir(default_root())
    figures = (f"Each line's figure is written to {folder}; `dockersim serve` shows it live.\n"
               if folder is not None else "Figures are off (DOCKERSIM_DIAGRAMS=off).\n")
    return (
        "Type docker commands, with or without the word docker:\n"
        "  run -d --name web busybox sleep 1000\n  docker ps\n\n"
        f"Commands:\n{commands}\n"
        "  help COMMAND   the flags of COMMAND (also: COMMAND --help)\n"
        "  exit, quit     leave (Ctrl-D too)\n\n"
        "Keys: Tab completes commands, containers, images and flags; Up and Down recall\n"
        "earlier lines; Ctrl-C clears the line; Ctrl-R searches the history.\n"
        f"{figures}"
    )


# ---------------------------------------------------------------------- the prompt
def history_path() -> "Path":
    """In the data root: a fresh root (a new class, a test) starts with a fresh history."""
    from ..store import default_root

    return default_root() / HISTORY_FILE


def setup_readline(session: Session) -> "ModuleType":
    """Line editing, Tab completion and the history; returns the readline module."""
    import readline

    from .completion import complete

    matches: list[str] = []

    def completer(text: str, state: int) -> str | None:
        if state == 0:
            try:
                words = complete(readline.get_line_buffer()[:readline.get_endidx()], session.names)
            except Exception:  # noqa: BLE001 - a failed completion must not break the prompt
                words = []
            matches[:] = [f"{word} " for word in words]  # Python's readline appends no space itself
        return matches[state] if state < len(matches) else None

    readline.set_completer_delims(" \t\n")  # words as the shell splits them: --name, repo:tag
    readline.set_completer(completer)
    if "libedit" in (readline.__doc__ or ""):  # macOS's Python
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    readline.set_history_length(HISTORY_LENGTH)
    try:
        readline.read_history_file(history_path())
    except OSError:  # the first session, or an unreadable file: start afresh
        pass
    return readline


def save_history(readline: "ModuleType") -> None:
    """Write the history (the last HISTORY_LENGTH lines) for the next session."""
    try:
        path = history_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
    except OSError as err:
        sys.stderr.write(f"dockersim: the history was not saved: {err}\n")


def drop_repeat(readline: "ModuleType") -> None:
    """A line typed twice in a row is kept once, so Up goes back to something new."""
    n = readline.get_current_history_length()
    if n >= 2 and readline.get_history_item(n) == readline.get_history_item(n - 1):
        readline.remove_history_item(n - 1)


def interactive(session: Session) -> int:
    """Prompt, read, run, until ``exit`` or Ctrl-D."""
    import signal

    readline = setup_readline(session)

    def hang_up(*_: object) -> None:
        """The terminal was closed. Save here: the ``finally`` below may be cut short by
        this very handler, run at its first line; a second hang-up is ignored."""
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        save_history(readline)
        sys.exit(129)

    signal.signal(signal.SIGHUP, hang_up)
    sys.stdout.write(banner())
    try:
        while True:
            try:
                leaving = read_and_run(session, readline)
            except KeyboardInterrupt:  # at the prompt, or between two commands: never fatal
                sys.stdout.write("^C\n")  # the line stays on screen, marked, as in bash
                continue
            if leaving is not None:
                return leaving
    finally:
        save_history(readline)


def read_and_run(session: Session, readline: "ModuleType") -> int | None:
    """One prompt and its line; the exit status when the line asks to leave, else None.

    Ctrl-C raises KeyboardInterrupt here. Python's readline notices a Ctrl-C only while it
    waits for a key; one that lands while it is drawing a key it read is raised when the
    next key comes: a second Ctrl-C, as in any Python prompt.
    """
    try:
        line = input(prompt(session.status))
    except EOFError:  # Ctrl-D
        sys.stdout.write("\n")
        return 0
    drop_repeat(readline)
    with terminal_kept(sys.stdin.fileno()):
        going_on = session.handle(line)
    if session.status == 130:  # interrupted: the prompt starts a line of its own, as in bash
        sys.stdout.write("\n")
    return None if going_on else session.exit_code or 0


@contextlib.contextmanager
def terminal_kept(fd: int) -> "Iterator[None]":
    """Give the terminal back to the prompt after a command, as any shell does: a process
    that ran on it may have taken the foreground and kept it (``exec -it web sh``: ash makes
    its own process group the terminal's) or left its modes changed."""
    import signal
    import termios

    try:
        modes = termios.tcgetattr(fd)
    except termios.error:
        modes = None
    try:
        yield
    finally:
        previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # allowed from the background
        try:
            if os.tcgetpgrp(fd) != os.getpgrp():
                os.tcsetpgrp(fd, os.getpgrp())
            if modes is not None:
                termios.tcsetattr(fd, termios.TCSADRAIN, modes)
        except (OSError, termios.error):
            pass
        finally:
            signal.signal(signal.SIGTTOU, previous)


def banner() -> str:
    """One line for a newcomer: what to type, and the three ways out of not knowing."""
    return "dockersim shell: type docker commands. `help` lists them, Tab completes, Ctrl-D leaves.\n"


def read_line(fd: int) -> str | None:
    """One line of a pipe, read byte by byte as sh reads a script: what follows stays in the
    pipe for a command that reads stdin (``load``, ``run -i``). None at the end."""
    data = bytearray()
    while True:
        byte = os.read(fd, 1)
        if not byte:
            return data.decode(errors="replace") if data else None
        if byte == b"\n":
            return data.decode(errors="replace")
        data += byte


def piped(session: Session) -> int:
    """No prompt, no banner: each line runs; the status is the last command's. Ctrl-C ends
    the script, as it ends a shell script."""
    fd = sys.stdin.fileno()
    try:
        while (line := read_line(fd)) is not None:
            if not session.handle(line):
                return session.status if session.exit_code is None else session.exit_code
            if session.status == 130:
                break
    except KeyboardInterrupt:
        return 130
    return session.status


def main(argv: list[str]) -> int:
    """``dockersim shell``: a prompt on a terminal, a script reader otherwise."""
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write("Usage:  dockersim shell\n\nAn interactive docker prompt; with stdin not a "
                         "terminal, runs each line it reads.\n")
        return 0
    if argv:
        sys.stderr.write(f"dockersim shell: unexpected argument: {argv[0]}\n")
        return 1
    session = Session()
    if sys.stdin.isatty():
        return interactive(session)
    return piped(session)
