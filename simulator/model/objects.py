"""The plain records dockersim keeps: containers and image references.

Values, not services: frozen dataclasses changed with ``dataclasses.replace``, turned to and
from JSON-ready dicts for the store, and read by the renderer. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidParameter

__all__ = [
    "DEFAULT_PATH_ENV",
    "ContainerConfig",
    "ContainerRecord",
    "ImageRef",
    "chain_ids",
    "parse_image_ref",
]

DEFAULT_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ZERO_TIME = "0001-01-01T00:00:00Z"


@dataclass(frozen=True)
class ContainerConfig:
    """What ``create`` fixes for the life of a container (Docker's ``Config``)."""

    image: str  # as the user typed it, e.g. "busybox"
    cmd: list[str] | None = None
    entrypoint: list[str] | None = None
    env: list[str] = field(default_factory=list)
    working_dir: str = ""
    tty: bool = False
    open_stdin: bool = False
    stop_timeout: int | None = None
    stop_signal: str = ""
    hostname: str = ""
    auto_remove: bool = False

    def argv(self) -> list[str]:
        """The process to start: entrypoint followed by cmd, as Docker joins them."""
        return [*(self.entrypoint or []), *(self.cmd or [])]


@dataclass(frozen=True)
class ContainerRecord:
    """One container, as the store keeps it and ``inspect`` shows it."""

    id: str
    name: str
    created: str
    image_id: str
    config: ContainerConfig
    status: str = "created"
    pid: int = 0
    exit_code: int = 0
    started_at: str = ZERO_TIME
    finished_at: str = ZERO_TIME
    error: str = ""
    restart_count: int = 0
    pid_start: float = 0.0  # PID 1's start time, to tell it from a recycled pid
    shim_pid: int = 0
    shim_start: float = 0.0  # the shim's start time, to tell it from a recycled pid
    runtime: str = "namespace"  # which sandbox tier runs it: "namespace" or "process"
    sandbox: str = ""  # what that tier uses for this container (pause mechanism, user namespace)

    @property
    def running(self) -> bool:
        return self.status in ("running", "paused")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ContainerRecord":
        data = dict(data)
        data["config"] = ContainerConfig(**data["config"])
        return cls(**data)


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference: ``busybox`` means ``busybox:latest``."""

    repository: str
    tag: str = "latest"

    def __str__(self) -> str:
        return f"{self.repository}:{self.tag}"


def parse_image_ref(text: str) -> ImageRef:
    """Parse ``name[:tag]``, dropping Docker Hub's implicit prefixes.

    >>> str(parse_image_ref("busybox"))
    'busybox:latest'
    >>> str(parse_image_ref("docker.io/library/busybox:1.36"))
    'busybox:1.36'
    >>> parse_image_ref("Busybox")
    Traceback (most recent call last):
    ...
    simulator.model.errors.InvalidParameter: Error response from daemon: invalid reference format: repository name must be lowercase
    """
    name, tag = text, "latest"
    last = text.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = text.rsplit(":", 1)
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    if not name or not tag or "@" in text or " " in text:
        raise InvalidParameter("invalid reference format")
    if name != name.lower():
        raise InvalidParameter("invalid reference format: repository name must be lowercase")
    return ImageRef(name, tag)


def chain_ids(diff_ids: list[str]) -> list[str]:
    """The OCI chain id of each layer: a layer is named by itself *and* everything below it.

    >>> chain_ids(["sha256:a"])
    ['sha256:a']
    >>> chain_ids(["sha256:a", "sha256:b"])[1] == "sha256:" + hashlib.sha256(b"sha256:a sha256:b").hexdigest()
    True
    """
    out: list[str] = []
    for diff_id in diff_ids:
        if not out:
            out.append(diff_id)
        else:
            out.append("sha256:" + hashlib.sha256(f"{out[-1]} {diff_id}".encode()).hexdigest())
    return out
