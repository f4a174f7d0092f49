"""``dockersim``: the docker command line, carried out by dockersim's engine.

Kept light on purpose: a metadata command imports the parser, the engine and the store,
nothing else (no rich, no graphviz, no transitions unless a rule must be checked).
"""

from __future__ import annotations

import os
import sys

__all__ = ["dispatch", "docker", "main"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from ..engine import Engine

TOP_HELP = """\
Usage:  dockersim [--lang en|zh] [--theme light|dark] [docker subcommand] [OPTIONS]

A small, real container engine that draws what every docker command does.

Management commands:
  container   Manage containers (docker container ls = docker ps, ...)
  image       Manage images (docker image ls = docker images, ...)
  system      Manage Docker (docker system df, docker system prune, ...)

Container commands:
  create      Create a new container
  run         Create and run a new container from an image
  start       Start one or more stopped containers
  stop        Stop one or more running containers
  restart     Restart one or more containers
  kill        Kill one or more running containers
  pause       Pause all processes within one or more containers
  unpause     Unpause all processes within one or more containers
  rm          Remove one or more containers
  rename      Rename a container
  attach      Attach local standard input, output, and error streams to a running container
  exec        Execute a command in a running container
  ps          List containers
  inspect     Return low-level information on Docker objects
  logs        Fetch the logs of a container
  wait        Block until one or more containers stop, then print their exit codes
  top         Display the running processes of a container
  stats       Display a live stream of container(s) resource usage statistics
  port        List port mappings or a specific mapping for the container
  diff        Inspect changes to files or directories on a container's filesystem
  commit      Create a new image from a container's changes
  cp          Copy files/folders between a container and the local filesystem
  export      Export a container's filesystem as a tar archive

Image commands:
  pull        Make an image from the offline registry (busybox)
  images      List images
  build       Build an image from a Dockerfile
  history     Show the history of an image
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
  rmi         Remove one or more images
  save        Save one or more images to a tar archive
  load        Load an image from a tar archive or STDIN
  import      Import the contents from a tarball to create a filesystem image

System:
  info        Display system-wide information (which sandbox tier is in use, and why)
  events      Get real time events from the server (--since, --until, --filter, --format)
  version     Show the version information

dockersim:
  tour        A narrated walk through the seed article, a figure per step (--lang zh)
  diagram     Draw the current state (or the command map) as SVG, PNG or PDF
  docs        Regenerate the gallery of step figures (diagrams/)
  serve       Show each step's figure live on a page, for a projector
  shell       An interactive docker prompt: history, Tab completion, a figure per line
  daemon      The data root's daemon: "status" (the default), "start" or "stop"

Environment: DOCKERSIM_ROOT (state), DOCKERSIM_DIAGRAMS (figure folder, or "off"),
DOCKERSIM_RUNTIME (auto, namespace, process), DOCKERSIM_LANG (en, zh), DOCKERSIM_THEME (light, dark),
DOCKERSIM_DAEMON (auto: a long-lived daemon carries out commands, as dockerd does; off: none).
"""


# What `dispatch` answers without the engine, or as a front end of its own: never a daemon's.
# (`--lang`/`--theme` are rare; such a line simply runs in process.)
FRONT_ENDS = frozenset(("tour", "serve", "docs", "diagram", "shell", "daemon", "help", "-h", "--help",
                        "-v", "--version", "--lang", "--theme"))


def main(argv: list[str] | None = None) -> int:
    """The ``dockersim`` command: its launcher, pip's script and ``python -m simulator``.

    A docker command goes to the data root's daemon when one serves it (``client.py``);
    otherwise it runs here, and a daemon is started for the commands that follow. Called
    as the process's command (no ``argv``), a command the daemon carried out ends the
    process at once: the client has nothing to tear down, as Docker's has not.
    """
    words = without_docker(list(sys.argv[1:] if argv is None else argv))
    from .. import client

    if words and words[0] not in FRONT_ENDS and client.available():
        from ..locations import default_location

        root = default_location()
        code = client.serve(words, root)
        if code is not None:
            if argv is None:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
            return code
        client.start_daemon(root)
    return dispatch(words)


def _import_for_good() -> None:
    """Import the parser and the engine with the garbage collector paused, then freeze them.

    Importing makes tens of thousands of objects and no garbage, yet the collector would
    scan them several times meanwhile, and all of them again at exit: about 3 ms of a
    ``dockersim ps``, whose aim is 10 ms above a bare interpreter. What a process imports
    lives until it ends, so ``gc.freeze`` leaves it out of every later collection; what the
    command itself makes is collected as usual.
    """
    import gc

    gc.disable()
    try:
        from .. import engine  # noqa: F401
        from . import commands, figures, flags  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


def without_docker(words: list[str]) -> list[str]:
    """A line's words without a leading ``docker`` (``dockersim docker ps``, as typed from
    Docker's docs; a shell line ``docker ps``) or ``dockersim``."""
    return words[1:] if words and words[0] in ("docker", "dockersim") else words


def dispatch(argv: list[str], engine: "Engine | None" = None) -> int:
    """Carry out one command line (the words after ``dockersim``); return its exit code.

    ``engine``: the shell passes its own, kept for the whole session (the engine reads the
    store on every call, so it sees what other terminals change); the CLI makes one.

    A data root that cannot be used (``DataRootError``, raised where a front end first
    opens the store) is told on one line, exit 1, whichever front end met it.
    """
    try:
        return _dispatch(argv, engine)
    except Exception as err:
        from ..model.errors import DataRootError  # only now: the CLI's path stays as light

        if not isinstance(err, DataRootError):
            raise
        sys.stderr.write(f"{err}\n")
        return err.exit_code


def _dispatch(argv: list[str], engine: "Engine | None") -> int:
    argv = without_docker(argv)
    while len(argv) >= 2 and argv[0].split("=", 1)[0] in ("--lang", "--theme"):  # for the figures
        option, _, value = argv[0].partition("=")
        if not value:
            value, argv = argv[1], argv[1:]
        os.environ["DOCKERSIM_LANG" if option == "--lang" else "DOCKERSIM_THEME"] = value
        argv = argv[1:]
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(TOP_HELP)
        return 0
    if argv[0] in ("-v", "--version"):
        from .. import __version__

        sys.stdout.write(f"dockersim version {__version__}\n")
        return 0
    verb = argv[0]
    if verb == "tour":
        from ..tour import main as tour

        return tour(argv[1:])
    if verb == "serve":
        from ..serve import main as serve

        return serve(argv[1:])
    if verb == "docs":
        from ..docs import main as docs

        return docs(argv[1:])
    if verb == "diagram":
        from .diagram import main as diagram

        return diagram(argv[1:])
    if verb == "daemon":
        return _daemon(argv[1:])
    if verb == "shell" and engine is None:
        from .shell import main as shell

        return shell(argv[1:])
    if engine is None:  # a one-shot command, not a line of the shell's long-lived session
        _import_for_good()
    return docker(argv, engine)


def _daemon(args: list[str]) -> int:
    """``dockersim daemon [status|start|stop]``: which process serves the data root; start
    one and wait until it serves; stop it."""
    from .. import daemon
    from ..client import start_daemon
    from ..locations import daemon_off, daemon_socket, default_location, pid_file

    root = default_location()
    if args not in ([], ["status"], ["start"], ["stop"]):
        sys.stderr.write("usage: dockersim daemon [status|start|stop]\n")
        return 2
    if args == ["stop"]:
        pid = daemon.stop(root)
        sys.stdout.write(f"stopped the daemon (pid {pid})\n" if pid else "no daemon serves this data root\n")
        return 0
    if args == ["start"]:
        try:  # the daemon's own process would only die of it: say it here
            os.makedirs(root, exist_ok=True)
            os.close(os.open(pid_file(root), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600))
        except OSError as err:
            from ..store.oserrors import unusable

            raise unusable(err, root) from None
        start_daemon(root)
        daemon.await_loaded(root)  # ours, or one another command started
    pid = daemon.running(root)
    if pid is None:
        why = ("DOCKERSIM_DAEMON=off: each command runs in its own process"
               if daemon_off() else "the next docker command starts one")
        sys.stdout.write(f"no daemon serves {root} ({why})\n")
        return 1
    sys.stdout.write(f"the daemon of {root}: pid {pid}, on {daemon_socket(root)}\n")
    return 0


def docker(argv: list[str], engine: "Engine | None" = None) -> int:
    """One ``docker`` subcommand with its figure: parse as Docker does, call the engine,
    print as Docker does, then draw the step."""
    from .commands import HANDLERS, NO_FIGURE, understand
    from .flags import Parsed

    parsed = understand(argv)
    if not isinstance(parsed, Parsed):  # answered without the engine: usage, help, an error
        sys.stdout.write(parsed.stdout)
        sys.stderr.write(parsed.stderr)
        return parsed.exit_code
    verb = parsed.verb

    from ..engine import CHANGES_STATE, Engine, Output

    if engine is None:
        engine = Engine(snapshots="none")
    out = Output(sys.stdout.buffer, sys.stderr.buffer, sys.stdin.buffer)
    figure = verb not in NO_FIGURE and not parsed.options.get("quiet")
    if figure:
        from .figures import diagrams_dir

        figure = diagrams_dir(engine.store.location) is not None
    before = None
    if figure and CHANGES_STATE[verb]:
        before = engine.snapshot()  # the figure shows the state before and after
    try:
        step = HANDLERS[verb](engine, out, parsed.options, parsed.args, " ".join(argv))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dockersim build . | head`: the reader left; so do we, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    if figure:
        import shlex  # only here: the answer is out, and the title should read as typed

        from .figures import write_step_figure

        step.before = before
        step.command = shlex.join(argv)
        write_step_figure(engine, step, background=True)
    return step.exit_code
