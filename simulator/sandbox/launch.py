"""Becoming a container's command: find the program as runc does, take the container's
user, exec, or say why not in Docker's words over an error pipe.

Shared by the shim (a container's PID 1) and by ``exec`` (one more process), which runs it
in a forked child of the CLI; kept apart from the shim so that ``exec`` imports none of the
shim's sockets, selectors and terminals.
"""

from __future__ import annotations

import json
import os

__all__ = ["UnknownUser", "exec_command", "exit_code", "lookup", "wait_exec"]


def lookup(argv0: str, env: dict[str, str], root: str = "", in_root: bool = False) -> str:
    """Find the command as runc does, inside the container; raise with Docker's words.

    ``root`` is the container's root when we are not inside it (the process tier);
    ``in_root``: the PATH names directories of the container (PRoot), not of the host."""
    if "/" in argv0:
        candidates = [root + argv0 if argv0.startswith("/") else argv0]
    else:
        path = env.get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        candidates = [(root if in_root and d.startswith("/") else "") + os.path.join(d or ".", argv0)
                      for d in path.split(":")]
        candidates = [c for c in candidates if os.path.isfile(c) and os.access(c, os.X_OK)]
        if not candidates:
            raise LookupError(f'exec: "{argv0}": executable file not found in $PATH', 127)
    target = candidates[0]
    if not os.path.exists(target):
        raise LookupError(f'exec: "{argv0}": stat {argv0}: no such file or directory', 127)
    if os.path.isdir(target) or not os.access(target, os.X_OK):
        raise LookupError(f'exec: "{argv0}": permission denied', 126)
    return target


class UnknownUser(LookupError):
    """USER names nobody in the container's files: Docker's daemon refuses before any task."""


def _user_ids(user: str, root: str) -> tuple[int, int]:
    """USER as ids: ``name``, ``uid`` or ``uid:gid``, names looked up in the container's files."""
    name, _, group = user.partition(":")

    def lookup_in(path: str, key: str) -> int | None:
        try:
            with open(root + path) as f:
                for line in f:
                    fields = line.strip().split(":")
                    if len(fields) > 2 and fields[0] == key:
                        return int(fields[2])
        except OSError:
            pass
        return None

    uid = int(name) if name.isdigit() else lookup_in("/etc/passwd", name)
    if uid is None:
        raise UnknownUser(f"unable to find user {name}: no matching entries in passwd file", 126)
    if group:
        gid = int(group) if group.isdigit() else lookup_in("/etc/group", group)
        if gid is None:
            raise UnknownUser(f"unable to find group {group}: no matching entries in group file", 126)
    else:
        gid = uid
        try:
            with open(root + "/etc/passwd") as f:
                for line in f:
                    fields = line.strip().split(":")
                    if len(fields) > 3 and (fields[0] == name or fields[2] == name):
                        gid = int(fields[3])
        except OSError:
            pass
    return uid, gid


def exec_command(argv: list[str], env_list: list[str], cwd: str, errfd: int, root: str = "", user: str = "",
                 proot_bundle: str = "") -> None:
    """Become the container's command, as its user, or report why not on ``errfd`` and exit.

    ``proot_bundle`` (the process tier with PRoot): become PRoot running the command with
    ``root`` as its ``/`` and ``user`` as the ids the command sees (``-i``); writes may
    land anywhere in the container's directory (its root, its init files) and in PRoot's
    /tmp."""
    env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env_list)
    try:
        ids = _user_ids(user, root) if user else None
        # become the user where we may (as root): then the kernel enforces its rights, as
        # Docker's does; under PRoot, without root, the user is only what the command sees
        if ids and (not proot_bundle or os.geteuid() == 0):
            os.setgroups([])
            os.setgid(ids[1])
            os.setuid(ids[0])
        if cwd or root:
            os.makedirs(root + cwd, exist_ok=True)
            os.chdir(root + cwd)
        if root:  # the process tier: keep its writes inside the container's root
            from .landlock import confine_writes

            # PRoot keeps its loader and glue in /tmp (the host's; the command's /tmp is its own)
            confine_writes(proot_bundle, "/tmp") if proot_bundle else confine_writes(root)
        path = lookup(argv[0], env, root, in_root=bool(proot_bundle))
        if proot_bundle:
            from . import proot

            env.update(proot.ENV)
            wrapped = proot.argv(root, proot_bundle, cwd or "/", ids, argv)
            os.execve(wrapped[0], wrapped, env)
        os.execve(path, argv, env)
    except UnknownUser as e:
        (message, code), by = e.args, "daemon"
    except LookupError as e:
        (message, code), by = e.args, "runtime"
    except OSError as e:
        message, code, by = f'exec: "{argv[0]}": {e.strerror.lower()}', 126, "runtime"
    # "by": who Docker says refused, the daemon (bare message) or the OCI runtime (prefixed)
    os.write(errfd, json.dumps({"message": message, "code": code, "by": by}).encode())
    os._exit(code)


def exit_code(raw_status: int) -> int:
    """The exit code Docker reports for a wait status: 128 + the signal for a killed process."""
    code = os.waitstatus_to_exitcode(raw_status)
    return 128 - code if code < 0 else code


def start_failure(failure: bytes) -> Exception:
    """What ``exec_command`` wrote when the command could not start, as Docker's exec
    failure (126): the daemon's refusal (bare) or the OCI runtime's (prefixed)."""
    from ..model.errors import ExecFailed, ExecRefused

    answer = json.loads(failure)
    return (ExecRefused if answer.get("by") == "daemon" else ExecFailed)(answer["message"], exit_code=126)


def wait_exec(err_r: int, child: int) -> int:
    """The caller's side of ``exec_command``'s error pipe: the child's exit code, or Docker's
    exec failure (126) when the command could not start."""
    failure = b""
    while chunk := os.read(err_r, 65536):
        failure += chunk
    os.close(err_r)
    _, status = os.waitpid(child, 0)
    if failure:
        raise start_failure(failure)
    return exit_code(status)
