"""Every error dockersim can report, with Docker's own words and exit codes.

The tree::

    DockerError                      (exit 1; str() is exactly what Docker prints)
     +-- DaemonError                 "Error response from daemon: ..."
     |    +-- NoSuchContainer        404
     |    +-- NoSuchImage            404
     |    +-- Conflict               409  name in use, cannot remove running, ...
     |    +-- NotRunning             409  pause/kill/exec of a stopped container
     |    +-- InvalidParameter       400  bad name, bad signal, ...
     |    +-- AmbiguousReference     ... an id prefix that matches several objects
     |    +-- ExecFailed             the command cannot be found or run (126/127 in `run`)
     +-- UsageError                  exit 125 (bad flags) or 1 (argument counts)
     +-- DataRootError               dockersim's own: the data root cannot hold its state

Front ends print ``str(err)`` and exit with ``err.exit_code``; they never re-word an error.
Like h11's ``error_status_hint``, each error also carries ``status``, the HTTP status
the Docker Engine API would answer with.

This module is pure: no I/O.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousReference",
    "Conflict",
    "DaemonError",
    "DataRootError",
    "DockerError",
    "ExecFailed",
    "ExecRefused",
    "InvalidParameter",
    "NoSuchContainer",
    "NoSuchImage",
    "NotRunning",
    "UsageError",
    "attach_paused",
    "attach_several",
    "build_without_from",
    "copy_not_found",
    "copy_outside_context",
    "detached",
    "dockerfile_empty",
    "dockerfile_missing",
    "bad_reference",
    "exec_failed_line",
    "for_kill",
    "forced_exit",
    "for_run",
    "layer_no_space",
    "load_from_empty_stdin",
    "no_command",
    "no_image_built",
    "no_space",
    "no_such_file",
    "inspect_empty",
    "inspect_missing",
    "inspect_type",
    "no_such_object",
    "not_a_tty",
    "pull_denied",
    "pull_no_space",
    "rename_empty",
    "rename_failed",
    "reserved_name",
    "restart_failed",
    "run_step_failed",
    "save_to_terminal",
    "start_failed",
    "task_create_failed",
    "unknown_command",
    "unusable_root",
]


class DockerError(Exception):
    """An error the learner sees: ``str(err)`` is Docker's message, ``exit_code`` its code."""

    exit_code: int = 1
    status: int = 500

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class DaemonError(DockerError):
    """An error the Docker daemon answers with; the CLI prefixes it.

    >>> str(DaemonError("boom"))
    'Error response from daemon: boom'
    """

    def __init__(self, detail: str, *, exit_code: int | None = None) -> None:
        self.detail = detail
        super().__init__(f"Error response from daemon: {detail}", exit_code=exit_code)


class NoSuchContainer(DaemonError):
    """
    >>> str(NoSuchContainer("web"))
    'Error response from daemon: No such container: web'
    """

    status = 404

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"No such container: {ref}")


class NoSuchImage(DaemonError):
    """
    >>> str(NoSuchImage("nosuch:latest"))
    'Error response from daemon: No such image: nosuch:latest'
    """

    status = 404

    def __init__(self, ref: str, detail: str | None = None) -> None:
        self.ref = ref
        super().__init__(detail or f"No such image: {ref}")


class Conflict(DaemonError):
    status = 409


class NotRunning(Conflict):
    """A command that needs a live process met a container without one."""


class InvalidParameter(DaemonError):
    status = 400


class AmbiguousReference(DaemonError):
    status = 400


class ExecFailed(DaemonError):
    """The container's command could not be started (missing, not executable)."""

    status = 400


class ExecRefused(ExecFailed):
    """The daemon refused the command before the runtime ran it (a user the image's passwd
    file does not know): Docker shows its words bare, without the OCI runtime's."""


class UsageError(DockerError):
    """Bad flags or arguments: the CLI refuses before asking the daemon; exit 125 for a bad
    flag, 1 for a wrong number of arguments (Docker's CLI words them differently too).

    >>> UsageError("unknown flag: --nope").exit_code
    125
    """

    exit_code = 125
    status = 400


class DataRootError(DockerError):
    """The data root (``DOCKERSIM_ROOT``) cannot be made, or cannot be written: dockersim's
    own error, as Docker has no data root to choose. It names the folder, says why in the
    operating system's words and what to do, on one line.

    >>> print(unusable_root("/proc/nope/root", "No such file or directory", "/proc/nope"))
    dockersim: cannot use /proc/nope/root as the data root (/proc/nope: No such file or directory): set DOCKERSIM_ROOT to a folder you can write
    >>> print(unusable_root("/srv/ro", "Read-only file system", "/srv/ro"))
    dockersim: cannot use /srv/ro as the data root (Read-only file system): set DOCKERSIM_ROOT to a folder you can write
    """

    def __init__(self, root: str, reason: str, path: str = "") -> None:
        self.root, self.reason, self.path = root, reason, path or root
        where = "" if self.path == root else f"{self.path}: "
        super().__init__(f"dockersim: cannot use {root} as the data root ({where}{reason}): "
                         "set DOCKERSIM_ROOT to a folder you can write")


def unusable_root(root: str, reason: str, path: str = "") -> DataRootError:
    """The data root ``root`` cannot be used: ``reason`` is the OS's ``strerror``, ``path``
    what it refused (the root itself, a folder above it or inside it)."""
    return DataRootError(root, reason, path)


def for_run(err: DockerError) -> DockerError:
    """How ``docker run`` reports a failure: prefixed, with a pointer to its help, and exit
    125 unless the container's command itself could not run (126, 127).

    >>> e = for_run(DaemonError("No such container: x"))
    >>> e.exit_code, str(e).splitlines()[0]
    (125, 'docker: Error response from daemon: No such container: x')
    """
    if isinstance(err, (UsageError, DataRootError)) or str(err).startswith("docker: "):
        return err
    code = err.exit_code if err.exit_code in (126, 127) else 125
    return DockerError(f"docker: {err}\n\nRun 'docker run --help' for more information", exit_code=code)


def restart_failed(typed: str, err: DaemonError) -> DaemonError:
    """How the daemon words a restart whose start failed: the start's words, after its own.

    >>> str(restart_failed("web", DaemonError("failed to create shim task")))
    'Error response from daemon: Cannot restart container web: failed to create shim task'
    """
    return DaemonError(f"Cannot restart container {typed}: {err.detail}", exit_code=err.exit_code)


def for_kill(typed: str, err: DockerError) -> DockerError:
    """How the daemon reports any failure of ``kill``: prefixed with the container as typed
    (the lifecycle's refusals for kill are worded so already).

    >>> str(for_kill("web", NoSuchContainer("web")))
    'Error response from daemon: Cannot kill container: web: No such container: web'
    """
    prefix = "Cannot kill container: "
    if not isinstance(err, DaemonError) or err.detail.startswith(prefix):
        return err
    return DaemonError(f"{prefix}{typed}: {err.detail}")


# --------------------------------------------------------------------------- Docker's words
# Every message below is Docker 20.10's (with the 28.x client), verbatim; the engine, the
# builder and the CLI build their errors here rather than spell them out.

OCI_CREATE_PREFIX = "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: "
OCI_EXEC_PREFIX = "OCI runtime exec failed: exec failed: unable to start container process: "


def task_create_failed(detail: str, exit_code: int) -> ExecFailed:
    """The container's command could not start (the runtime's words, as the daemon passes them on).

    >>> str(task_create_failed('exec: "x": executable file not found in $PATH', 127)).endswith("in $PATH: unknown")
    True
    """
    return ExecFailed(f"{OCI_CREATE_PREFIX}{detail}: unknown", exit_code=exit_code)


def exec_detached_failed(detail: str, refused: bool = False) -> DaemonError:
    """``docker exec -d`` whose command cannot start: the daemon's answer, exit code 1
    (``refused``: by the daemon itself, see ``ExecRefused``)."""
    return DaemonError(detail if refused else f"{OCI_EXEC_PREFIX}{detail}: unknown")


def exec_failed_line(detail: str, refused: bool = False) -> str:
    """What ``docker exec`` prints, on stdout, when the command cannot start (sic: CRLF;
    ``refused``: by the daemon itself, see ``ExecRefused``)."""
    return f"{detail}\r\n" if refused else f"{OCI_EXEC_PREFIX}{detail}: unknown\r\n"


def pull_denied(repository: str) -> DaemonError:
    return DaemonError(f"pull access denied for {repository}, repository does not exist or may require "
                       "'docker login': denied: requested access to the resource is denied")


# A full disk. Docker 20.10 unpacks a layer (commit, a build step's commit, pull) in a
# re-executed "docker-untar" inside the layer's folder, and passes on what it printed: the
# path is the file's inside the layer, in Go's words ("write /big: no space left on device").
UNTAR_FAILED = "Error processing tar file(exit status 1): "
ENOSPC = "no space left on device"


def layer_no_space(path: str) -> DaemonError:
    """``commit`` (or a build step's commit) ran out of space writing ``path`` of the new layer.

    >>> str(layer_no_space("/big"))
    'Error response from daemon: Error processing tar file(exit status 1): write /big: no space left on device'
    """
    return DaemonError(f"{UNTAR_FAILED}write {path}: {ENOSPC}")


def pull_no_space(path: str) -> DockerError:
    """``pull`` ran out of space unpacking ``path`` of a layer: told in the pull's progress
    stream, so the CLI prints it bare.

    >>> str(pull_no_space("/bin/busybox"))
    'failed to register layer: Error processing tar file(exit status 1): write /bin/busybox: no space left on device'
    """
    return DockerError(f"failed to register layer: {UNTAR_FAILED}write {path}: {ENOSPC}")


def no_space(path: str) -> DaemonError:
    """Any other write to the data root that found the disk full (``create``, a record)."""
    return DaemonError(f"write {path}: {ENOSPC}")


def unknown_command(verb: str, group: str = "") -> DockerError:
    """A word that is no command: at the top, or under a management command (``group``,
    as ``docker container nosuch``), whose usage line Docker adds."""
    if group:
        return DockerError(f"docker: unknown command: docker {group} {verb}\n\nUsage:  docker {group}\n\n"
                           f"Run 'docker {group} --help' for more information")
    return DockerError(f"docker: unknown command: docker {verb}\n\nRun 'docker --help' for more information")


def not_a_tty() -> DockerError:
    """``-it`` when standard input is not a terminal: the CLI refuses before anything runs."""
    return DockerError("the input device is not a TTY")


def no_command() -> InvalidParameter:
    """``create``/``run`` of an image with no CMD or ENTRYPOINT, and none given."""
    return InvalidParameter("No command specified")


def start_failed(names: list[str]) -> DockerError:
    """``docker start`` after one or more containers could not start (their errors came first)."""
    return DockerError(f"Error: failed to start containers: {', '.join(names)}")


def no_such_object(typed: str) -> DockerError:
    """``docker inspect`` of a name that is neither a container nor an image."""
    return DockerError(f"Error: No such object: {typed}")


def rename_empty() -> DockerError:
    """``docker rename`` with an empty (or blank) name: the CLI refuses before asking."""
    return DockerError("Error: Neither old nor new names may be empty")


def rename_failed(typed: str, err: DockerError) -> DockerError:
    """How the CLI reports a rename the daemon refused: its answer, then its own line.

    >>> print(rename_failed("web", NoSuchContainer("web")))
    Error response from daemon: No such container: web
    Error: failed to rename container named web
    """
    return DockerError(f"{err}\nError: failed to rename container named {typed}", exit_code=err.exit_code)


#: What ``docker inspect --type`` accepts (the CLI's list, in its order).
INSPECT_TYPES = ("config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume")
_SWARM_ONLY = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again."


def inspect_type(kind: str) -> DockerError | None:
    """The CLI's refusal of ``inspect --type KIND`` (None: a type it knows).

    >>> print(inspect_type("foo"))
    unknown type: "foo": must be one of "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"
    """
    if kind in INSPECT_TYPES:
        return None
    known = ", ".join(f'"{t}"' for t in INSPECT_TYPES)
    return DockerError(f'type is empty: must be one of {known}' if not kind else f'unknown type: "{kind}": must be one of {known}')


def inspect_missing(kind: str, typed: str, err: DockerError | None = None) -> DockerError:
    """``docker inspect --type KIND NAME`` (and ``docker image inspect``) of what is not
    there: how the 28.x CLI words the daemon's answer for each kind. ``err``: the daemon's
    own answer for an image (no such image, or a reference that does not parse).

    >>> print(inspect_missing("image", "nosuch", NoSuchImage("nosuch:latest")))
    Error response from daemon: no such image: nosuch: No such image: nosuch:latest
    >>> print(inspect_missing("volume", "data"))
    Error response from daemon: get data: no such volume
    """
    if kind == "image":
        detail = err.detail if isinstance(err, DaemonError) else f"No such image: {typed}"
        return DaemonError(f"no such image: {typed}: {detail}")
    if kind == "container":
        return NoSuchContainer(typed)
    if kind == "network":
        return DaemonError(f"network {typed} not found")
    if kind == "volume":
        return DaemonError(f"get {typed}: no such volume")
    if kind == "plugin":
        return DaemonError(f'plugin "{typed}" not found')
    return DaemonError(_SWARM_ONLY)


def inspect_empty(kind: str | None) -> DockerError:
    """An empty name: the CLI refuses it before asking the daemon."""
    if kind == "image":
        return DockerError("Error: No such image: ")
    return DockerError("invalid container name or ID: value is empty")


def bad_reference(typed: str, problem: str, verb: str = "tag") -> DockerError:
    """A reference the CLI cannot parse (``problem``: why): ``tag`` names it, ``commit``
    says only why."""
    if verb == "commit":
        return DockerError(problem)
    return DockerError(f'Error parsing reference: "{typed}" is not a valid repository/tag: {problem}')


def dockerfile_missing(path: str) -> DockerError:
    return DockerError(f"unable to prepare context: unable to evaluate symlinks in Dockerfile path: "
                       f"lstat {path}: no such file or directory")


def dockerfile_empty() -> DaemonError:
    return DaemonError("the Dockerfile (Dockerfile) cannot be empty")


def build_without_from() -> DaemonError:
    return DaemonError("Please provide a source image with `from` prior to commit")


def no_image_built() -> DaemonError:
    return DaemonError("No image was generated. Is your Dockerfile empty?")


def reserved_name() -> DaemonError:
    return DaemonError("'scratch' is a reserved name")


def attach_several() -> DockerError:
    return DockerError("you cannot start and attach multiple containers at once")


def attach_paused() -> DockerError:
    """What the 28.x client prints when the daemon refuses to attach to a paused container."""
    return DockerError("unable to upgrade to tcp, received 409")


def detached() -> DockerError:
    """``docker attach`` left by its detach keys (Ctrl-P Ctrl-Q): the container runs on, and
    the client says why it stopped, exit 1 (``run -it`` and ``start -ai`` end quietly, 0)."""
    return DockerError("read escape sequence")


def forced_exit() -> DockerError:
    """The 28.x docker CLI's answer to a third SIGINT/SIGTERM it does not pass on."""
    return DockerError("\ngot 3 SIGTERM/SIGINTs, forcefully exiting")


def save_to_terminal() -> DockerError:
    return DockerError("cowardly refusing to save to a terminal. Use the -o flag or redirect")


def load_from_empty_stdin() -> DockerError:
    return DockerError("requested load from stdin, but stdin is empty")


def no_such_file(path: str) -> DockerError:
    return DockerError(f"open {path}: no such file or directory")


def run_step_failed(argv: list[str], code: int) -> DockerError:
    """A RUN step of a classic build ended with ``code``: the build ends with it."""
    return DockerError(f"The command '{' '.join(argv)}' returned a non-zero code: {code}", exit_code=code)


def copy_outside_context(keyword: str, src: str) -> DockerError:
    return DockerError(f"{keyword} failed: forbidden path outside the build context: {src} ()")


def copy_not_found(keyword: str, src: str) -> DockerError:
    return DockerError(f"{keyword} failed: file not found in build context or excluded by .dockerignore: "
                       f"stat {src}: file does not exist")
