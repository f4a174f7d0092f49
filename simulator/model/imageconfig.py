"""How Docker writes image configs, and the small rules around a container's process.

Pure: the caller passes the time (``created``) and the machine's architecture, so the same
inputs give the same config, byte for byte (and so the same image id).

* ``imported_config``: what ``docker import`` (and the offline ``pull``) writes;
* ``committed_config``: what ``docker commit`` writes; ``apply_changes`` is its ``-c``;
* ``built_config``: what a classic ``docker build`` step writes;
* ``process_env`` and ``parse_signal``: a container process's environment, and ``kill -s``.
"""

from __future__ import annotations

import json

from .errors import InvalidParameter
from .objects import DEFAULT_PATH_ENV

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from .dockerfile import Instruction
    from .objects import ContainerConfig, ContainerRecord

__all__ = [
    "CHANGE_COMMANDS",
    "DOCKER_VERSION",
    "apply_changes",
    "apply_instruction",
    "built_config",
    "committed_config",
    "imported_config",
    "parse_signal",
    "process_env",
]

DOCKER_VERSION = "20.10.24+dfsg1"  # the engine dockersim answers as

_EMPTY_CONFIG = {
    "Hostname": "", "Domainname": "", "User": "", "AttachStdin": False, "AttachStdout": False,
    "AttachStderr": False, "Tty": False, "OpenStdin": False, "StdinOnce": False, "Env": None,
    "Cmd": None, "Image": "", "Volumes": None, "WorkingDir": "", "Entrypoint": None,
    "OnBuild": None, "Labels": None,
}


def imported_config(diff_id: str, created: str, arch: str, cmd: list[str] | None) -> "dict[str, Any]":
    """The image config ``docker import -c 'CMD [...]'`` writes (Docker 20.10).

    >>> imported_config("sha256:a", "2024-01-01T00:00:00Z", "amd64", ["sh"])["history"]
    [{'created': '2024-01-01T00:00:00Z', 'comment': 'Imported from -'}]
    """
    return {
        "architecture": arch,
        "comment": "Imported from -",
        "config": {**_EMPTY_CONFIG, "Cmd": cmd},
        "container_config": dict(_EMPTY_CONFIG),
        "created": created,
        "docker_version": DOCKER_VERSION,
        "history": [{"created": created, "comment": "Imported from -"}],
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }


def _next_config(parent: "dict[str, Any]", config: "dict[str, Any]", container_config: "dict[str, Any]",
                 container_id: str, created: str, diff_ids: list[str], row: "dict[str, Any]") -> "dict[str, Any]":
    """A child image's config: the parent's history plus ``row``, the given configs."""
    return {
        "architecture": parent.get("architecture", "amd64"),
        "config": config,
        "container": container_id,
        "container_config": container_config,
        "created": created,
        "docker_version": DOCKER_VERSION,
        "history": [*parent.get("history", []), row],
        "os": parent.get("os", "linux"),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }


def committed_config(parent: "dict[str, Any]", record: "ContainerRecord", diff_ids: list[str], created: str,
                     message: str = "", author: str = "", empty: bool = False) -> "dict[str, Any]":
    """The image config ``docker commit`` writes: the container's config, one more history
    row (created_by: the container's command) and one more diffID (none if ``empty``)."""
    cfg = record.config
    container_config = {
        "Hostname": cfg.hostname, "Domainname": "", "User": "", "AttachStdin": False,
        "AttachStdout": not cfg.auto_remove, "AttachStderr": not cfg.auto_remove, "Tty": cfg.tty,
        "OpenStdin": cfg.open_stdin, "StdinOnce": False, "Env": list(cfg.env) or None,
        "Cmd": list(cfg.cmd) if cfg.cmd else None, "Image": cfg.image, "Volumes": None,
        "WorkingDir": cfg.working_dir, "Entrypoint": list(cfg.entrypoint) if cfg.entrypoint else None,
        "OnBuild": None, "Labels": {},
    }
    row: dict[str, Any] = {"created": created, "created_by": " ".join(cfg.argv())}
    extra: dict[str, Any] = {}
    if author:
        row["author"] = extra["author"] = author
    if message:
        row["comment"] = extra["comment"] = message
    if empty:
        row["empty_layer"] = True
    # config gets its own copy: commit -c changes that one only
    config = _next_config(parent, dict(container_config), container_config, record.id, created, diff_ids, row)
    return {"architecture": config.pop("architecture"), **extra, **config}


def built_config(parent: "dict[str, Any]", record: "ContainerRecord", config: "dict[str, Any]",
                 diff_ids: list[str], row: str, created: str, empty: bool) -> "dict[str, Any]":
    """The image config a classic build step writes: the image's config so far, the
    intermediate container's config, one more history row."""
    full = {**(parent.get("config") or {}), **config}
    container_config = {**full, "Cmd": list(record.config.cmd or []), "Hostname": record.config.hostname}
    entry: dict[str, Any] = {"created": created, "created_by": row}
    if empty:
        entry["empty_layer"] = True
    return _next_config(parent, full, container_config, record.id, created, diff_ids, entry)


#: What ``commit -c`` and ``import -c`` accept: the instructions that only set configuration.
CHANGE_COMMANDS = ("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR")


def apply_instruction(config: "dict[str, Any]", ins: "Instruction") -> "dict[str, Any]":
    """The image configuration (Docker's Config keys) after ``ins``: a build step and a
    ``commit -c`` change it alike. Instructions that set none (RUN, COPY, ARG, ...) leave it.

    >>> from simulator.model.dockerfile import parse
    >>> config = {"Env": ["A=1"], "WorkingDir": "/app"}
    >>> for line in ('ENV A="two words" B=2', "WORKDIR sub", 'ENTRYPOINT ["sh"]'):
    ...     config = apply_instruction(config, parse(line)[0])
    >>> config
    {'Env': ['A=two words', 'B=2'], 'WorkingDir': '/app/sub', 'Entrypoint': ['sh'], 'Cmd': None}
    """
    import os

    from .dockerfile import key_values, split_command

    k = ins.keyword
    if k == "ENV":
        env = list(config.get("Env") or [])
        for name, value in key_values(ins.args):
            env = [e for e in env if not e.startswith(name + "=")] + [f"{name}={value}"]
        config["Env"] = env
    elif k in ("CMD", "ENTRYPOINT"):
        config["Cmd" if k == "CMD" else "Entrypoint"] = split_command(ins)
        if k == "ENTRYPOINT":
            config["Cmd"] = None
    elif k == "WORKDIR":
        config["WorkingDir"] = os.path.join(config.get("WorkingDir") or "/", ins.args)
    elif k == "LABEL":
        config["Labels"] = {**(config.get("Labels") or {}), **dict(key_values(ins.args))}
    elif k == "EXPOSE":
        config["ExposedPorts"] = {**(config.get("ExposedPorts") or {}),
                                  **{(p if "/" in p else f"{p}/tcp"): {} for p in ins.args.split()}}
    elif k == "USER":
        config["User"] = ins.args
    elif k == "VOLUME":
        paths = ins.json_args() or ins.args.split()
        config["Volumes"] = {**(config.get("Volumes") or {}), **{p: {} for p in paths}}
    elif k == "ONBUILD":
        config["OnBuild"] = [*(config.get("OnBuild") or []), ins.args]
    return config


def apply_changes(config: "dict[str, Any]", changes: "list[str] | tuple[str, ...]") -> None:
    """``commit -c`` and ``import -c``: Dockerfile instructions that only set configuration.

    >>> c = {"config": {}}
    >>> apply_changes(c, ['CMD ["sh"]', "ENV A=1", "WORKDIR /app"])
    >>> c["config"]
    {'Cmd': ['sh'], 'Env': ['A=1'], 'WorkingDir': '/app'}
    >>> apply_changes(c, ["RUN true"])
    Traceback (most recent call last):
    ...
    simulator.model.errors.InvalidParameter: Error response from daemon: run is not a valid change command
    """
    from .dockerfile import parse

    for change in changes:
        word = change.strip().partition(" ")[0]
        if word.upper() not in CHANGE_COMMANDS:
            raise InvalidParameter(f"{word.lower()} is not a valid change command")
        for ins in parse(change):
            config["config"] = apply_instruction(config["config"], ins)


def process_env(cfg: "ContainerConfig", extra: "list[str] | tuple[str, ...]" = ()) -> list[str]:
    """The environment PID 1 (or an exec'd process) gets: PATH, HOSTNAME, TERM, HOME, as Docker sets.

    >>> from simulator.model.objects import ContainerConfig
    >>> process_env(ContainerConfig(hostname="ab12"))
    ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=ab12', 'HOME=/root']
    """
    env = [f"HOSTNAME={cfg.hostname}"] if cfg.hostname else []
    env += list(cfg.env) + list(extra)
    names = {e.split("=", 1)[0] for e in env}
    if "PATH" not in names:
        env.insert(0, DEFAULT_PATH_ENV)
    if cfg.tty and "TERM" not in names:
        env.append("TERM=xterm")
    if "HOME" not in names:
        env.append("HOME=/root")
    return env


def parse_signal(text: str) -> int:
    """``kill -s``: a signal by name (with or without SIG) or number, or Docker's refusal.

    >>> parse_signal("TERM"), parse_signal("SIGHUP"), parse_signal("9")
    (15, 1, 9)
    >>> parse_signal("NOTASIGNAL")
    Traceback (most recent call last):
    ...
    simulator.model.errors.InvalidParameter: Error response from daemon: Invalid signal: NOTASIGNAL
    """
    import signal as signals

    name = text.upper().removeprefix("SIG")
    if name.isdigit():
        number = int(name)
        if 0 < number < 65:
            return number
    else:
        try:
            return int(getattr(signals, "SIG" + name))
        except AttributeError:
            pass
    raise InvalidParameter(f"Invalid signal: {text}")
