"""Every ``docker`` subcommand dockersim knows: its flags (as Docker spells them) and how a
parsed command line becomes one engine call."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Callable
    from ..engine import Engine, Output
    from ..step import Step

from . import without_docker
from .flags import CommandSpec, Flag, Parsed


__all__ = ["HANDLERS", "SPECS"]

_NAME = Flag("name", kind="str", help="Assign a name to the container")
_ENV = Flag("env", "e", "list", "Set environment variables")
_WORKDIR = Flag("workdir", "w", "str", "Working directory inside the container")
_INTERACTIVE = Flag("interactive", "i", help="Keep STDIN open even if not attached")
_TTY = Flag("tty", "t", help="Allocate a pseudo-TTY")
_CREATE_FLAGS = (
    _NAME, _ENV, _WORKDIR, _INTERACTIVE, _TTY,
    Flag("entrypoint", kind="str", help="Overwrite the default ENTRYPOINT of the image"),
    Flag("stop-timeout", kind="int", help="Timeout (in seconds) to stop a container"),
    Flag("publish", "p", "list", "Publish a container's port(s) to the host (recorded; nothing is published here)"),
    Flag("network", kind="str", help="Connect a container to a network: none (the default here) or host"),
    Flag("label", "l", "label", "Set meta data on a container", dest="labels"),
    Flag("user", "u", "str", "Username or UID (format: <name|uid>[:<group|gid>])"),
)
_FORMAT = Flag("format", "f", "str", "Format output using a custom template", default="")
_TIME = Flag("time", "t", "int", "Seconds to wait before killing the container", dest="timeout")
_PRUNE_FILTER = Flag("filter", kind="filter", help='Provide filter values (e.g. "until=<timestamp>")', dest="filters")
_DETACH_KEYS = Flag("detach-keys", kind="str", help="Override the key sequence for detaching a container")

_SPEC_LIST = [
    CommandSpec("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container",
                _CREATE_FLAGS, 1, None, interspersed=False),
    CommandSpec("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image",
                (*_CREATE_FLAGS, Flag("detach", "d", help="Run container in background and print container ID"), _DETACH_KEYS,
                 Flag("rm", help="Automatically remove the container when it exits")), 1, None, interspersed=False),
    CommandSpec("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers",
                (Flag("attach", "a", help="Attach STDOUT/STDERR and forward signals"), _DETACH_KEYS,
                 Flag("interactive", "i", help="Attach container's STDIN")), 1),
    CommandSpec("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container",
                (_DETACH_KEYS,
                 Flag("no-stdin", help="Do not attach STDIN"),
                 Flag("sig-proxy", help="Proxy all received signals to the process (default true)", default=True)), 1, 1),
    CommandSpec("stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers", (_TIME,), 1),
    CommandSpec("restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers", (_TIME,), 1),
    CommandSpec("kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers",
                (Flag("signal", "s", "str", "Signal to send to the container", default="KILL"),), 1),
    CommandSpec("pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", (), 1),
    CommandSpec("unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", (), 1),
    CommandSpec("rm", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                (Flag("force", "f", help="Force the removal of a running container (uses SIGKILL)"),
                 Flag("volumes", "v", help="Remove anonymous volumes associated with the container")), 1),
    CommandSpec("rename", "CONTAINER NEW_NAME", "Rename a container", (), 2, 2),
    CommandSpec("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container",
                (Flag("detach", "d", help="Detached mode: run command in the background"),
                 _ENV, _WORKDIR, _INTERACTIVE, _TTY,
                 Flag("user", "u", "str", "Username or UID (format: \"<name|uid>[:<group|gid>]\")")), 2, None, interspersed=False),
    CommandSpec("ps", "[OPTIONS]", "List containers",
                (Flag("all", "a", help="Show all containers (default shows just running)"),
                 Flag("filter", "f", "filter", "Filter output based on conditions provided", dest="filters"),
                 Flag("format", kind="str", help="Pretty-print containers using a Go template", default=""),
                 Flag("last", "n", "int", "Show n last created containers (includes all states) (default -1)", default=-1),
                 Flag("latest", "l", help="Show the latest created container (includes all states)"),
                 Flag("no-trunc", help="Don't truncate output"),
                 Flag("quiet", "q", help="Only display container IDs"),
                 Flag("size", "s", help="Display total file sizes")), 0, 0),
    CommandSpec("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics",
                (Flag("all", "a", help="Show all containers (default shows just running)"),
                 Flag("format", kind="str", help="Format output using a custom template: 'table', 'table TEMPLATE', "
                                                 "'json' or 'TEMPLATE'", default=""),
                 Flag("no-stream", help="Disable streaming stats and only pull the first result"),
                 Flag("no-trunc", help="Do not truncate output")), 0),
    CommandSpec("inspect", "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects",
                (_FORMAT, Flag("size", "s", help="Display total file sizes if the type is container"),
                 Flag("type", kind="str", help="Only inspect objects of the given type")), 1),
    CommandSpec("container inspect", "[OPTIONS] CONTAINER [CONTAINER...]",
                "Display detailed information on one or more containers",
                (_FORMAT, Flag("size", "s", help="Display total file sizes")), 1),
    CommandSpec("image inspect", "[OPTIONS] IMAGE [IMAGE...]", "Display detailed information on one or more images",
                (_FORMAT,), 1),
    CommandSpec("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container",
                (Flag("details", help="Show extra details provided to logs"),
                 Flag("follow", "f", help="Follow log output"),
                 Flag("since", kind="str", help='Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative '
                                                '(e.g. "42m" for 42 minutes)', default=""),
                 Flag("tail", "n", "str", 'Number of lines to show from the end of the logs (default "all")', default="all"),
                 Flag("timestamps", "t", help="Show timestamps"),
                 Flag("until", kind="str", help='Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative '
                                                '(e.g. "42m" for 42 minutes)', default="")), 1, 1),
    CommandSpec("events", "[OPTIONS]", "Get real time events from the server",
                (Flag("filter", "f", "filter", "Filter output based on conditions provided", dest="filters"),
                 Flag("format", kind="str", default="", help="Format output using a custom template: 'json', or a Go template"),
                 Flag("since", kind="str", help="Show all events created since timestamp", default=""),
                 Flag("until", kind="str", help="Stream events until this timestamp", default="")), 0, 0),
    CommandSpec("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", (), 1),
    CommandSpec("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container",
                (), 1, 2),
    CommandSpec("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", (), 1),
    CommandSpec("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", (), 1, 1),
    CommandSpec("images", "[OPTIONS] [REPOSITORY[:TAG]]", "List images",
                (Flag("all", "a", help="Show all images (default hides intermediate images)"),
                 Flag("filter", "f", "filter", "Filter output based on conditions provided", dest="filters"),
                 Flag("format", kind="str", help="Pretty-print images using a Go template", default=""),
                 Flag("no-trunc", help="Don't truncate output"),
                 Flag("quiet", "q", help="Only show image IDs")), 0, 1),
    CommandSpec("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes",
                (Flag("message", "m", "str", "Commit message", default=""),
                 Flag("author", "a", "str", 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")', default=""),
                 Flag("change", "c", "list", "Apply Dockerfile instruction to the created image", dest="changes"),
                 Flag("pause", "p", help="Pause container during commit (default true)", default=True)), 1, 2),
    CommandSpec("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", (), 2, 2,
                interspersed=False),
    CommandSpec("history", "[OPTIONS] IMAGE", "Show the history of an image",
                (Flag("format", kind="str", help="Format output using a custom template", default=""),
                 Flag("human", "H", help="Print sizes and dates in human readable format (default true)", default=True),
                 Flag("quiet", "q", help="Only show image IDs"),
                 Flag("no-trunc", help="Don't truncate output")), 1, 1),
    CommandSpec("rmi", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images",
                (Flag("force", "f", help="Force removal of the image"),), 1),
    CommandSpec("build", "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile",
                (Flag("tag", "t", "str", "Name and optionally a tag in the 'name:tag' format"),
                 Flag("file", "f", "str", "Name of the Dockerfile (Default is 'PATH/Dockerfile')"),
                 Flag("no-cache", help="Do not use cache when building the image"),
                 Flag("quiet", "q", help="Suppress the build output and print image ID on success"),
                 Flag("build-arg", kind="list", help="Set build-time variables", dest="build_args"),
                 Flag("label", kind="label", help="Set metadata for an image", dest="labels")), 1, 1),
    CommandSpec("save", "[OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)",
                (Flag("output", "o", "str", "Write to a file, instead of STDOUT"),), 1),
    CommandSpec("load", "[OPTIONS]", "Load an image from a tar archive or STDIN",
                (Flag("input", "i", "str", "Read from tar archive file, instead of STDIN"),
                 Flag("quiet", "q", help="Suppress the load output")), 0, 0),
    CommandSpec("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
                (Flag("output", "o", "str", "Write to a file, instead of STDOUT"),), 1, 1),
    CommandSpec("cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
                "Copy files/folders between a container and the local filesystem",
                (Flag("archive", "a", help="Archive mode (copy all uid/gid information)"),
                 Flag("follow-link", "L", help="Always follow symbol link in SRC_PATH"),
                 Flag("quiet", "q", help="Suppress progress output during copy. Progress output is automatically "
                                          "suppressed if no terminal is attached")), 2, 2),
    CommandSpec("import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image",
                (Flag("change", "c", "list", "Apply Dockerfile instruction to the created image", dest="changes"),
                 Flag("message", "m", "str", "Set commit message for imported image", default="")), 1),
    CommandSpec("pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry (here: the offline registry)", (), 1, 1),
    CommandSpec("container prune", "[OPTIONS]", "Remove all stopped containers",
                (_PRUNE_FILTER, Flag("force", "f", help="Do not prompt for confirmation")), 0, 0),
    CommandSpec("image prune", "[OPTIONS]", "Remove unused images",
                (Flag("all", "a", help="Remove all unused images, not just dangling ones"),
                 _PRUNE_FILTER, Flag("force", "f", help="Do not prompt for confirmation")), 0, 0),
    CommandSpec("system prune", "[OPTIONS]", "Remove unused data",
                (Flag("all", "a", help="Remove all unused images not just dangling ones"),
                 _PRUNE_FILTER, Flag("force", "f", help="Do not prompt for confirmation")), 0, 0),
    CommandSpec("system df", "[OPTIONS]", "Show docker disk usage",
                (Flag("format", kind="str", help="Format output using a custom template", default=""),
                 Flag("verbose", "v", help="Show detailed information on space usage")), 0, 0),
    CommandSpec("info", "[OPTIONS]", "Display system-wide information", (), 0, 0),
    CommandSpec("version", "[OPTIONS]", "Show the Docker version information", (), 0, 0),
]
SPECS: dict[str, CommandSpec] = {s.name: s for s in _SPEC_LIST}

if TYPE_CHECKING:
    Handler = Callable[["Engine", "Output", dict[str, Any], list[str], str], "Step"]


def _create_options(o: dict[str, Any]) -> dict[str, Any]:
    return dict(name=o["name"], env=o["env"], workdir=o["workdir"], entrypoint=o["entrypoint"],
                stop_timeout=o["stop_timeout"], interactive=bool(o["interactive"]), tty=bool(o["tty"]),
                publish=o["publish"], network=o["network"], labels=o["labels"], user=o["user"])


HANDLERS: "dict[str, Handler]" = {
    "create": lambda e, out, o, a, t: e.create(a[0], a[1:] or None, out=out, text=t, **_create_options(o)),
    "run": lambda e, out, o, a, t: e.run(a[0], a[1:] or None, out=out, text=t, detach=bool(o["detach"]),
                                          rm=bool(o["rm"]), detach_keys=o["detach_keys"], **_create_options(o)),
    "start": lambda e, out, o, a, t: e.start(*a, out=out, text=t, attach=bool(o["attach"]), interactive=bool(o["interactive"]),
                                          detach_keys=o["detach_keys"]),
    "attach": lambda e, out, o, a, t: e.attach(a[0], out=out, text=t, no_stdin=bool(o["no_stdin"]),
                                                sig_proxy=bool(o["sig_proxy"]), detach_keys=o["detach_keys"]),
    "stop": lambda e, out, o, a, t: e.stop(*a, out=out, text=t, timeout=o["timeout"]),
    "restart": lambda e, out, o, a, t: e.restart(*a, out=out, text=t, timeout=o["timeout"]),
    "kill": lambda e, out, o, a, t: e.kill(*a, out=out, text=t, signal=o["signal"]),
    "pause": lambda e, out, o, a, t: e.pause(*a, out=out, text=t),
    "unpause": lambda e, out, o, a, t: e.unpause(*a, out=out, text=t),
    "rm": lambda e, out, o, a, t: e.rm(*a, out=out, text=t, force=bool(o["force"])),
    "rename": lambda e, out, o, a, t: e.rename(a[0], a[1], out=out, text=t),
    "exec": lambda e, out, o, a, t: e.exec(a[0], a[1:], out=out, text=t, env=o["env"], workdir=o["workdir"],
                                            interactive=bool(o["interactive"]), tty=bool(o["tty"]),
                                            detach=bool(o["detach"]), user=o["user"]),
    "ps": lambda e, out, o, a, t: e.ps(out=out, text=t, all=bool(o["all"]), quiet=bool(o["quiet"]), no_trunc=bool(o["no_trunc"]),
                                        format=o["format"], filters=o["filters"], size=bool(o["size"]),
                                        last=1 if o["latest"] and o["last"] == -1 else o["last"]),
    "stats": lambda e, out, o, a, t: e.stats(*a, out=out, text=t, all=bool(o["all"]), no_stream=bool(o["no_stream"]),
                                              no_trunc=bool(o["no_trunc"]), format=o["format"]),
    "inspect": lambda e, out, o, a, t: e.inspect(*a, out=out, text=t, format=o["format"], type=o["type"],
                                                  size=bool(o["size"])),
    "container inspect": lambda e, out, o, a, t: e.inspect(*a, out=out, text=t, format=o["format"], type="container",
                                                            size=bool(o["size"])),
    "image inspect": lambda e, out, o, a, t: e.inspect(*a, out=out, text=t, format=o["format"], type="image"),
    "logs": lambda e, out, o, a, t: e.logs(a[0], out=out, text=t, follow=bool(o["follow"]), timestamps=bool(o["timestamps"]),
                                            tail=o["tail"], since=o["since"], until=o["until"], details=bool(o["details"])),
    "wait": lambda e, out, o, a, t: e.wait(*a, out=out, text=t),
    "events": lambda e, out, o, a, t: e.events(out=out, text=t, since=o["since"], until=o["until"],
                                                filters=o["filters"], format=o["format"]),
    "top": lambda e, out, o, a, t: e.top(a[0], out=out, text=t),
    "diff": lambda e, out, o, a, t: e.diff(a[0], out=out, text=t),
    "images": lambda e, out, o, a, t: e.images(*a, out=out, text=t, quiet=bool(o["quiet"]), no_trunc=bool(o["no_trunc"]),
                                                all=bool(o["all"]), format=o["format"], filters=o["filters"]),
    "pull": lambda e, out, o, a, t: e.pull(a[0], out=out, text=t),
    "commit": lambda e, out, o, a, t: e.commit(a[0], a[1] if len(a) > 1 else None, out=out, text=t,
                                                message=o["message"], author=o["author"], pause=bool(o["pause"]),
                                                changes=o["changes"]),
    "build": lambda e, out, o, a, t: e.build(a[0], out=out, text=t, tag=o["tag"], file=o["file"],
                                              no_cache=bool(o["no_cache"]), quiet=bool(o["quiet"]),
                                              build_args=o["build_args"], labels=o["labels"]),
    "save": lambda e, out, o, a, t: e.save(*a, out=out, text=t, output=o["output"]),
    "load": lambda e, out, o, a, t: e.load(out=out, text=t, input=o["input"], quiet=bool(o["quiet"])),
    "export": lambda e, out, o, a, t: e.export(a[0], out=out, text=t, output=o["output"]),
    "port": lambda e, out, o, a, t: e.port(*a, out=out, text=t),
    "cp": lambda e, out, o, a, t: e.cp(a[0], a[1], out=out, text=t, archive=bool(o["archive"]),
                                      follow_link=bool(o["follow_link"]), quiet=bool(o["quiet"])),
    "import": lambda e, out, o, a, t: e.import_(a[0], a[1] if len(a) > 1 else None, out=out, text=t,
                                                 changes=o["changes"], message=o["message"]),
    "tag": lambda e, out, o, a, t: e.tag(a[0], a[1], out=out, text=t),
    "history": lambda e, out, o, a, t: e.history(a[0], out=out, text=t, quiet=bool(o["quiet"]), no_trunc=bool(o["no_trunc"]),
                                                  human=bool(o["human"]), format=o["format"]),
    "rmi": lambda e, out, o, a, t: e.rmi(*a, out=out, text=t, force=bool(o["force"])),
    "container prune": lambda e, out, o, a, t: e.container_prune(out=out, text=t, force=bool(o["force"]),
                                                                 filters=o["filters"]),
    "image prune": lambda e, out, o, a, t: e.image_prune(out=out, text=t, all=bool(o["all"]), force=bool(o["force"]),
                                                         filters=o["filters"]),
    "system prune": lambda e, out, o, a, t: e.system_prune(out=out, text=t, all=bool(o["all"]), force=bool(o["force"]),
                                                           filters=o["filters"]),
    "system df": lambda e, out, o, a, t: e.system_df(out=out, text=t, verbose=bool(o["verbose"]), format=o["format"]),
    "info": lambda e, out, o, a, t: e.info(out=out, text=t),
    "version": lambda e, out, o, a, t: e.version(out=out, text=t),
}

#: Commands whose figure would show nothing new.
NO_FIGURE = {"version", "info", "logs", "inspect", "container inspect", "image inspect", "wait", "top", "port", "events"}

#: Docker's management commands (``docker container ls``, ``docker image rm``), as modern
#: tutorials write them: each subcommand is one of the commands above under another name.
MANAGEMENT: dict[str, tuple[str, dict[str, str]]] = {
    "container": ("Manage containers", {
        "attach": "attach", "commit": "commit", "cp": "cp", "create": "create", "diff": "diff", "exec": "exec",
        "export": "export", "inspect": "container inspect", "kill": "kill", "logs": "logs", "ls": "ps", "list": "ps",
        "ps": "ps", "pause": "pause", "port": "port", "prune": "container prune", "rename": "rename", "restart": "restart",
        "rm": "rm", "run": "run", "start": "start", "stats": "stats", "stop": "stop",
        "top": "top", "unpause": "unpause", "wait": "wait"}),
    "image": ("Manage images", {
        "build": "build", "history": "history", "import": "import", "inspect": "image inspect", "load": "load",
        "ls": "images", "list": "images", "prune": "image prune", "pull": "pull", "rm": "rmi", "save": "save",
        "tag": "tag"}),
    "system": ("Manage Docker", {"df": "system df", "events": "events", "info": "info", "prune": "system prune"}),
}
_ALIASES = {"list", "ps"}  # other names of `ls`, left out of the help as Docker leaves them


def management_help(group: str) -> str:
    """``docker container``: the commands of a management command."""
    summary, commands = MANAGEMENT[group]
    lines = [f"Usage:  docker {group} COMMAND", "", summary, "", "Commands:"]
    for name in sorted(set(commands) - _ALIASES):
        lines.append(f"  {name:<12}{SPECS[commands[name]].summary}")
    lines += ["", f"Run 'docker {group} COMMAND --help' for more information on a command."]
    return "\n".join(lines) + "\n"


def strip_comment(line: str) -> str:
    """``line`` without its comment: a ``#`` that begins a word, outside quotes (as in sh,
    so ``sh -c 'echo #1'`` and ``echo a#b`` keep theirs).

    >>> strip_comment("ps -a   # every container")
    'ps -a   '
    >>> strip_comment("exec web sh -c 'echo #1' a#b")
    "exec web sh -c 'echo #1' a#b"
    """
    quote = ""
    escaped = False
    word_start = True
    for i, char in enumerate(line):
        literal, escaped = escaped, False
        if literal:
            pass
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and word_start:
            return line[:i]
        word_start = char.isspace() and not quote and not literal
    return line


def split_line(line: str) -> list[str]:
    """The words of a line, quoted as in sh; ``ValueError`` for an open quote.

    >>> split_line("run -d --name web busybox sh -c 'sleep 1000'  # a comment")
    ['run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'sleep 1000']
    """
    import shlex

    return shlex.split(strip_comment(line))


def understand(words: list[str], text: str = "") -> "Parsed | Step":
    """Docker's CLI before it asks the daemon: an unknown command, a usage error, ``--help``
    and ``-it`` without a terminal are answered here, as a Step that ran nothing; any other
    line comes back parsed. ``text``: the command line the Step shows."""
    import sys

    from ..model import errors
    from ..step import Step
    from .flags import parse

    verb = words[0] if words else ""
    spec, rest = (SPECS.get(verb) if " " not in verb else None), words[1:]
    if verb in MANAGEMENT:
        if not rest or rest[0] in ("-h", "--help"):
            return Step(text, 0, stdout=management_help(verb))
        commands = MANAGEMENT[verb][1]
        if rest[0] not in commands:
            return Step(text, 1, stderr=f"{errors.unknown_command(rest[0], group=verb)}\n")
        typed = "ls" if rest[0] in _ALIASES else rest[0]  # Docker's usage lines name `list` and `ps` ls
        spec = SPECS[commands[rest[0]]]._replace(name=f"{verb} {typed}")
        verb, rest = commands[rest[0]], rest[1:]
    if spec is None:
        return Step(text, 1, stderr=f"{errors.unknown_command(verb)}\n")
    try:
        parsed = parse(spec, rest)
    except errors.UsageError as err:
        return Step(text, err.exit_code, stderr=f"{err}\n", verb=verb)
    if parsed.help:
        return Step(text, 0, stdout=spec.help_text(), verb=verb)
    parsed.verb = verb
    # only a command that attaches its stdin to the terminal asks for one (`run -dit` and `create -it` do not)
    attaches = verb in ("run", "exec") and not parsed.options.get("detach")
    if attaches and parsed.options.get("tty") and parsed.options.get("interactive") and not sys.stdin.isatty():
        not_a_tty = errors.not_a_tty()
        return Step(text, not_a_tty.exit_code, stderr=f"{not_a_tty}\n", verb=verb)
    return parsed


def run_line(engine: "Engine", line: str, out: "Output | None" = None) -> "Step":
    """Carry out one ``docker ...`` command line (the word ``docker`` is optional) and return
    its Step: what the tour, the notebook magics and the gallery share with the CLI."""
    import shlex

    words = without_docker(split_line(line))
    text = shlex.join(words)  # as typed: a quoted argument stays one argument
    parsed = understand(words, text)
    if not isinstance(parsed, Parsed):
        return parsed
    return HANDLERS[parsed.verb](engine, out, parsed.options, parsed.args, text)
