"""Where dockersim keeps its state: the one rule, light enough for the client to import.

``dockersim ps`` asks where the data root is before it imports anything else (to find the
daemon's socket), so this module imports only ``os``, which every interpreter has loaded.
"""

from __future__ import annotations

import os

__all__ = ["daemon_off", "daemon_socket", "data_location", "default_location", "loading_file", "pid_file",
           "short_address"]


def data_location(variable: str, name: str) -> str:
    """The folder the environment ``variable`` names, else ``name`` in the per-user data
    directory (XDG): where dockersim keeps its state, and the lessons theirs."""
    env = os.environ.get(variable)
    if env:
        return os.path.realpath(os.path.expanduser(env))
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, name)


def default_location() -> str:
    """``DOCKERSIM_ROOT``, else the per-user data directory, as a string."""
    return data_location("DOCKERSIM_ROOT", "dockersim")


SOCKET_NAME = "dockersim.sock"  # in the data root, as dockerd's docker.sock in /var/run
PID_NAME = "dockersim.pid"  # the daemon's pid, flock-ed while it lives
LOADING_NAME = "dockersim.loading"  # flock-ed while a daemon loads, until it takes commands


def daemon_socket(root: str) -> str:
    return os.path.join(root, SOCKET_NAME)


def daemon_off() -> bool:
    """``DOCKERSIM_DAEMON=off``: every command runs in its own process, and none starts a daemon."""
    return os.environ.get("DOCKERSIM_DAEMON", "auto") == "off"


def short_address(folder: str, name: str) -> tuple[str, int]:
    """An address for the unix socket ``folder/name`` short enough to use, and the folder's
    descriptor it goes through (close it once bound or connected).

    Unix socket paths are limited to 107 bytes and a data root or a container's directory
    is often longer, so the address is ``/proc/self/fd/<fd>/<name>``.
    """
    fd = os.open(folder, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    return f"/proc/self/fd/{fd}/{name}", fd


def pid_file(root: str) -> str:
    return os.path.join(root, PID_NAME)


def loading_file(root: str) -> str:
    return os.path.join(root, LOADING_NAME)
