"""``docker ps --filter name=value``: which containers a listing keeps, by Docker's rules.

Values of one name are alternatives (``status=exited --filter status=created``), different
names must all hold (``label`` values all hold too). A ``status`` filter lists stopped
containers without ``-a``; the others do not. Filters that concern what dockersim's
containers never have (published ports, volumes, networks, health checks) are accepted and
match what Docker would match for a container without them.

Pure: the engine resolves the names in ``before``, ``since`` and ``ancestor`` and hands
over plain values.
"""

from __future__ import annotations

import re
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Callable, Iterable

from .errors import DaemonError

__all__ = ["ContainerFilters", "ImageFilters", "STATUSES", "has_labels", "parse_filters"]

STATUSES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")
KEYS = ("ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name",
        "network", "publish", "since", "status", "volume")
_HEALTH = ("starting", "healthy", "unhealthy", "none")


def parse_filters(specs: Iterable[str], keys: Iterable[str]) -> dict[str, list[str]]:
    """``--filter name=value`` values by name, the names checked against ``keys`` as the
    daemon checks them."""
    values: dict[str, list[str]] = {}
    for spec in specs:
        key, _, value = spec.partition("=")
        key = key.strip().lower()
        if key not in keys:
            raise DaemonError(f"Invalid filter '{key}'")
        values.setdefault(key, []).append(value)
    return values


class ContainerFilters:
    """The ``--filter`` values of one ``docker ps``, checked as the daemon checks them."""

    def __init__(self, specs: Iterable[str]) -> None:
        self.values = parse_filters(specs, KEYS)
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
              ancestors: Callable[[str], bool], labels: dict[str, str] | None = None) -> bool:
        """Whether a container passes every filter. ``before``/``since``: the creation times
        of the containers named there; ``ancestors(image_id)``: whether the image is one of
        the ``ancestor`` images or built on one; ``labels``: the container's."""
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
            and has_labels(v.get("label", []), labels or {})
            and all(not v.get(key) for key in ("expose", "publish", "volume", "network", "isolation"))
            and all(created < t for t in before)
            and all(created > t for t in since)
            and ("ancestor" not in v or ancestors(image_id))
        )


def has_labels(wanted: list[str], labels: dict[str, str]) -> bool:
    """Docker's ``label`` filter: every ``key`` present, every ``key=value`` equal (all of
    them must hold, unlike other filters' alternatives).

    >>> has_labels(["a", "b=2"], {"a": "", "b": "2"}), has_labels(["b=3"], {"b": "2"})
    (True, False)
    """
    for spec in wanted:
        key, eq, value = spec.partition("=")
        if key not in labels or (eq and labels[key] != value):
            return False
    return True


def _search(pattern: str, name: str) -> bool:
    """Docker matches a name filter as a regular expression anywhere in the name; one that
    does not compile matches nothing."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


IMAGE_KEYS = ("before", "dangling", "label", "reference", "since")


class ImageFilters:
    """The ``--filter`` values of one ``docker images``, as the daemon checks and applies
    them: ``dangling`` (untagged images only, or none of them), ``label``, ``reference`` (a
    glob over ``name`` or ``name:tag``), ``before``/``since`` (resolved by the engine)."""

    def __init__(self, specs: Iterable[str]) -> None:
        self.values = parse_filters(specs, IMAGE_KEYS)
        dangling = self.values.get("dangling", [])
        for value in dangling:
            if value.lower() not in ("true", "false", "1", "0"):
                raise DaemonError(f"Invalid filter 'dangling=[{value}]'")
        self.dangling_only = any(value.lower() in ("true", "1") for value in dangling)
        self.no_dangling = bool(dangling) and not self.dangling_only

    def names(self, key: str) -> list[str]:
        return self.values.get(key, [])

    def keeps(self, *, created: float, labels: dict[str, str], before: list[float], since: list[float]) -> bool:
        """Whether an image passes the filters that concern the image itself."""
        return (all(created < t for t in before) and all(created > t for t in since)
                and has_labels(self.values.get("label", []), labels))

    def tag_shown(self, tag: str) -> bool:
        """Whether the tag ``name:tag`` passes ``reference`` (Docker's FamiliarMatch)."""
        patterns = self.values.get("reference")
        if not patterns:
            return True
        name = tag.rpartition(":")[0]
        return any(_glob(pattern, tag) or _glob(pattern, name) for pattern in patterns)

    @property
    def by_reference(self) -> bool:
        return "reference" in self.values


def _glob(pattern: str, text: str) -> bool:
    """Go's ``path.Match``: ``*`` and ``?`` never cross a ``/``.

    >>> _glob("bus*", "busybox:latest"), _glob("*", "library/busybox"), _glob("lb*:1", "lbimg:1")
    (True, False, True)
    """
    regex = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text) is not None
