"""The rules of Docker, as pure data and functions: no disk, no clock, no process.

``lifecycle`` says which command is allowed from which state; ``errors`` holds Docker's
exact words; ``names`` and ``objects`` the values the store keeps; ``present`` how Docker
words them for people.
"""

from .errors import (
    AmbiguousReference,
    Conflict,
    DaemonError,
    DockerError,
    ExecFailed,
    InvalidParameter,
    NoSuchContainer,
    NoSuchImage,
    NotRunning,
    UsageError,
)

__all__ = [
    "AmbiguousReference",
    "Conflict",
    "DaemonError",
    "DockerError",
    "ExecFailed",
    "InvalidParameter",
    "NoSuchContainer",
    "NoSuchImage",
    "NotRunning",
    "UsageError",
]
