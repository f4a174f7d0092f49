"""``docker ps --filter name=value``: which containers a listing keeps, by Docker's rules.

Values of one name are alternatives (``status=exited --filter status=created``), different
names must all hold. A ``status`` filter lists stopped containers without ``-a``; the others
do not. Filters that concern what dockersim's containers never have (published ports,
volumes, networks, labels, health checks) are accepted and match what Docker would match
for a container without them.

Pure: the engine resolves the names in ``before``, ``since`` and ``ancestor`` and hands
over plain values.
"""

from __future__ import annotations

import re
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Callable, Iterable

from .errors import DaemonError

__all__ = ["ContainerFilters", "STATUSES"]

STATUSES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")
KEYS = ("ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name",
        "network", "publish", "since", "status", "volume")
_HEALTH = ("starting", "healthy", "unhealthy", "none")


class ContainerFilters:
    """The ``--filter`` values of one ``docker ps``, checked as the daemon checks them."""

    def __init__(self, specs: Iterable[str]) -> None:
        self.values: dict[str, list[str]] = {}
        for spec in specs:
            key, _, value = spec.partition("=")
            key = key.strip().lower()
            if key not in KEYS:
                raise DaemonError(f"Invalid filter '{key}'")
            self.values.setdefault(key, []).append(value)
        for value in self.values.get("status", []):
            if value not in STATUSES:
                raise DaemonError(f"Invalid filter 'status={value}'")
        for value in self.values.get("exited", []):
            try:
                int(value)
            except ValueError:
                raise DaemonError(f'strconv.Atoi: parsing "{value}": invalid syntax') from None
        for value in self.values.get("health", []):
            if value not in _HEALTH:
                raise DaemonError(f"Unrecognised filter value for health: {value}")
        for value in self.values.get("is-task", []):
            if value not in ("true", "false"):
                raise DaemonError(f"Invalid filter 'is-task={value}'")

    def names(self, key: str) -> list[str]:
        """The values given for ``key`` (the engine resolves ``before``, ``since``, ``ancestor``)."""
        return self.values.get(key, [])

    @property
    def lists_stopped(self) -> bool:
        """A status filter shows stopped containers without ``-a``, as Docker's does."""
        return "status" in self.values

    def keeps(self, *, id: str, name: str, status: str, exit_code: int, created: float,
              image_id: str, before: list[float], since: list[float],
              ancestors: Callable[[str], bool]) -> bool:
        """Whether a container passes every filter. ``before``/``since``: the creation times
        of the containers named there; ``ancestors(image_id)``: whether the image is one of
        the ``ancestor`` images or built on one."""
        v = self.values

        def any_of(key: str, test: Callable[[str], bool]) -> bool:
            return key not in v or any(test(value) for value in v[key])

        return (
            any_of("id", lambda value: id.startswith(value))
            and any_of("name", lambda value: _search(value, name))
            and any_of("status", lambda value: value == status)
            and any_of("exited", lambda value: status == "exited" and exit_code == int(value))
            and any_of("health", lambda value: value == "none")
            and any_of("is-task", lambda value: value == "false")
            and all(not v.get(key) for key in ("label", "expose", "publish", "volume", "network", "isolation"))
            and all(created < t for t in before)
            and all(created > t for t in since)
            and ("ancestor" not in v or ancestors(image_id))
        )


def _search(pattern: str, name: str) -> bool:
    """Docker matches a name filter as a regular expression anywhere in the name; one that
    does not compile matches nothing."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False
