"""The plain records dockersim keeps: containers and image references.

Values, not services: immutable records changed with ``_replace``, turned to and from
JSON-ready dicts for the store, and read by the renderer. Pure: no I/O.
"""

from __future__ import annotations

from collections import namedtuple
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time

from .errors import InvalidParameter

if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_PATH_ENV",
    "ContainerConfig",
    "ContainerRecord",
    "ImageRef",
    "chain_ids",
    "parse_image_ref",
    "parse_labels",
]

DEFAULT_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ZERO_TIME = "0001-01-01T00:00:00Z"

# Records are named tuples: immutable, changed with ``_replace``, and (unlike dataclasses)
# free to import, which keeps every CLI call fast.

_CONFIG_FIELDS = {
    "image": "",  # as the user typed it, e.g. "busybox"
    "cmd": None,
    "entrypoint": None,
    "env": (),
    "working_dir": "",
    "tty": False,
    "open_stdin": False,
    "stop_timeout": None,
    "stop_signal": "",
    "hostname": "",
    "auto_remove": False,
    "user": "",  # USER: name, uid or uid:gid, looked up in the container's /etc/passwd
    "network_mode": "none",  # "none" (a loopback of its own) or "host"; see model/network.py
    "exposed_ports": {},  # Docker's Config.ExposedPorts: "80/tcp" -> {}
    "port_bindings": {},  # Docker's HostConfig.PortBindings, as -p gave them (never published)
    "labels": {},  # Docker's Config.Labels: the image's, then --label's
}


class ContainerConfig(namedtuple("ContainerConfig", _CONFIG_FIELDS, defaults=_CONFIG_FIELDS.values())):
    """What ``create`` fixes for the life of a container (Docker's ``Config``)."""

    __slots__ = ()

    def argv(self) -> list[str]:
        """The process to start: entrypoint followed by cmd, as Docker joins them."""
        return [*(self.entrypoint or []), *(self.cmd or [])]


_RECORD_FIELDS = {
    "id": "",
    "name": "",
    "created": "",
    "image_id": "",
    "config": ContainerConfig(),
    "status": "created",
    "pid": 0,
    "exit_code": 0,
    "started_at": ZERO_TIME,
    "finished_at": ZERO_TIME,
    "error": "",
    "restart_count": 0,
    "pid_start": 0.0,  # PID 1's start time, to tell it from a recycled pid
    "shim_pid": 0,
    "shim_start": 0.0,  # the shim's start time, to tell it from a recycled pid
    "runtime": "namespace",  # which sandbox tier runs it: "namespace" or "process"
    "sandbox": "",  # what that tier uses for this container (pause mechanism, user namespace)
}


class ContainerRecord(namedtuple("ContainerRecord", _RECORD_FIELDS, defaults=_RECORD_FIELDS.values())):
    """One container, as the store keeps it and ``inspect`` shows it."""

    __slots__ = ()

    @property
    def running(self) -> bool:
        return self.status in ("running", "paused")

    def to_dict(self) -> "dict[str, Any]":
        data = self._asdict()
        data["config"] = self.config._asdict()
        return data

    @classmethod
    def from_dict(cls, data: "dict[str, Any]") -> "ContainerRecord":
        data = {k: v for k, v in data.items() if k in _RECORD_FIELDS}
        data["config"] = ContainerConfig(**{k: v for k, v in data["config"].items() if k in _CONFIG_FIELDS})
        return cls(**data)


class ImageRef(namedtuple("ImageRef", ["repository", "tag"], defaults=["latest"])):
    """A parsed image reference: ``busybox`` means ``busybox:latest``."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.repository}:{self.tag}"


def parse_labels(specs: "list[str]") -> "dict[str, str]":
    """``--label`` values (``key=value`` or ``key``) as Docker's Config.Labels.

    >>> parse_labels(["a=1", "flag", "b=x=y"])
    {'a': '1', 'flag': '', 'b': 'x=y'}
    """
    labels = {}
    for spec in specs:
        key, _, value = spec.partition("=")
        labels[key] = value
    return labels


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


def reference_problem(text: str) -> str:
    """Why the docker CLI refuses ``text`` as an image reference before asking the daemon
    ("" when it does not): ``tag`` and ``commit`` parse their references themselves, with
    the newer reference grammar, which names the repository with its ``library/``.

    >>> reference_problem("busybox:1"), reference_problem("bad name")
    ('', 'invalid reference format')
    >>> reference_problem("UPPER:1")
    'invalid reference format: repository name (library/UPPER) must be lowercase'
    """
    import re

    slash = text.find("/")
    first = text[:slash]
    if slash == -1 or (not any(c in first for c in ".:") and first != "localhost" and first.lower() == first):
        domain, remainder = "docker.io", text
    else:
        domain, remainder = first, text[slash + 1:]
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    remote = remainder.split("@", 1)[0].split(":", 1)[0]
    if remote.lower() != remote:
        return f"invalid reference format: repository name ({remote}) must be lowercase"
    component = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    host = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
    grammar = rf"{host}{component}(?:/{component})*(?::[\w][\w.-]{{0,127}})?(?:@[a-z0-9]+:[a-fA-F0-9]{{32,}})?"
    if re.fullmatch(grammar, text) is None or len(text.split("@")[0].split(":")[0]) > 255:
        return "invalid reference format"
    return ""


def chain_ids(diff_ids: list[str]) -> list[str]:
    """The OCI chain id of each layer: a layer is named by itself *and* everything below it.

    >>> chain_ids(["sha256:a"])
    ['sha256:a']
    >>> import hashlib
    >>> chain_ids(["sha256:a", "sha256:b"])[1] == "sha256:" + hashlib.sha256(b"sha256:a sha256:b").hexdigest()
    True
    """
    out: list[str] = []
    for diff_id in diff_ids:
        if not out:
            out.append(diff_id)
        else:
            import hashlib  # only for images of two layers or more: busybox's start skips it

            out.append("sha256:" + hashlib.sha256(f"{out[-1]} {diff_id}".encode()).hexdigest())
    return out
