"""``docker events``: the lifecycle's transitions as a stream of messages, in Docker's shapes.

Every state change a command makes is told as one message: its type (``container``,
``image``), its action (``create``, ``start``, ``die`` ...), the object it concerns (the
actor: an id and attributes such as ``image``, ``name``, ``exitCode``) and when, to the
nanosecond. What a command tells, and in which order, follows Docker Engine 20.10::

    docker run --rm busybox true    create, attach, start, die, destroy
    docker stop web                 kill (signal=15), [kill (signal=9)], die, stop
    docker restart web              kill, die, stop, start, restart (a stopped one: start, restart)
    docker commit web img           [pause], image tag, commit, [unpause]
    docker rmi img                  image untag (name=<the image id>), image delete
    docker exec web true            exec_create: true , exec_start: true , exec_die

Here are the shapes, the attributes, the ``--filter`` rules, the ``--since``/``--until``
arithmetic of Docker's CLI and daemon, and the text line ``docker events`` prints. Pure: the
store keeps the messages (one JSON line each, exactly Docker's ``{{json .}}``), the engine
says when.
"""

from __future__ import annotations

import time as _time

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Iterable

from .errors import DaemonError, DockerError

__all__ = [
    "EVENTS_LIMIT", "EventFilters", "EventFormat", "Struct", "container_event", "exec_action", "get_timestamp",
    "image_event", "message", "parse_timestamp", "text_line", "time_window",
]

#: How many past messages the daemon keeps for ``--since`` (Docker's ``eventsLimit``).
EVENTS_LIMIT = 256


def message(type: str, action: str, actor_id: str, attributes: dict[str, str], time_ns: int) -> dict[str, Any]:
    """One message as Docker's daemon sends it (``events.Message``), keys in its JSON order.

    Containers and images also carry the deprecated ``status``, ``id`` and ``from`` fields,
    as Docker still fills them; empty ones are left out (Go's ``omitempty``).

    >>> message("container", "start", "c0ffee", {"name": "web", "image": "busybox"}, 1_700_000_000_123456789)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'status': 'start', 'id': 'c0ffee', 'from': 'busybox', 'Type': 'container', 'Action': 'start',
     'Actor': {'ID': 'c0ffee', 'Attributes': {'image': 'busybox', 'name': 'web'}}, 'scope': 'local',
     'time': 1700000000, 'timeNano': 1700000000123456789}
    """
    legacy: dict[str, Any] = {}
    if type in ("container", "image"):
        legacy = {"status": action, "id": actor_id, "from": attributes.get("image", "") if type == "container" else ""}
        legacy = {k: v for k, v in legacy.items() if v}
    return {**legacy, "Type": type, "Action": action,
            "Actor": {"ID": actor_id, "Attributes": dict(sorted(attributes.items()))},
            "scope": "local", "time": time_ns // 10**9, "timeNano": time_ns}


def container_event(action: str, cid: str, image: str, name: str, time_ns: int, **extra: str) -> dict[str, Any]:
    """A container's message: ``image`` as the container was created from (as typed),
    ``name`` without Docker's leading slash, and whatever the action adds (``exitCode``,
    ``signal``, ``execID``, ``oldName``, the commit's ``imageID``...)."""
    return message("container", action, cid, {"image": image, "name": name, **extra}, time_ns)


def image_event(action: str, image_id: str, time_ns: int, name: str = "") -> dict[str, Any]:
    """An image's message. ``name`` is the tag for ``tag`` (``web:v1``, as Docker shortens
    it); for ``untag``, ``delete``, ``save``, ``load`` and ``import`` Docker names the image
    by its id again, so that is the default."""
    return message("image", action, image_id, {"name": name or image_id}, time_ns)


def exec_action(kind: str, argv: list[str]) -> str:
    """``exec_create``/``exec_start`` name the command, as Docker joins it: the program, a
    space, then its arguments (so ``true`` alone leaves a trailing space).

    >>> exec_action("exec_create", ["true"]), exec_action("exec_start", ["sh", "-c", "exit 3"])
    ('exec_create: true ', 'exec_start: sh -c exit 3')
    """
    return f"{kind}: {argv[0]} {' '.join(argv[1:])}"


# ---------------------------------------------------------------------- the text line


def _rfc3339_fixed(time_ns: int, offset: int) -> str:
    """Go's ``2006-01-02T15:04:05.000000000Z07:00`` in a zone ``offset`` seconds east of UTC."""
    stamp = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(time_ns // 10**9 + offset))
    zone = "Z" if offset == 0 else f"{'+' if offset > 0 else '-'}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"
    return f"{stamp}.{time_ns % 10**9:09d}{zone}"


def text_line(event: dict[str, Any], offset: int = 0) -> str:
    """The line ``docker events`` prints for a message (``offset``: the local zone's, in
    seconds east of UTC, as the CLI prints local time), attributes sorted by key.

    >>> text_line(container_event("die", "c0ffee", "busybox", "web", 1_796_167_162_268_703_464, exitCode="0"))
    '2026-12-01T23:19:22.268703464Z container die c0ffee (exitCode=0, image=busybox, name=web)\\n'
    """
    line = f"{_rfc3339_fixed(event['timeNano'], offset)} {event['Type']} {event['Action']} {event['Actor']['ID']}"
    attributes = event["Actor"]["Attributes"]
    if attributes:
        line += " (" + ", ".join(f"{k}={attributes[k]}" for k in sorted(attributes)) + ")"
    return line + "\n"


# ---------------------------------------------------------------------- --format


class Struct(dict):
    """A Go struct for the templates: its fields by Go name, in order, with the JSON names
    (and ``omitempty``) that ``{{json .}}`` prints them under."""

    json_names: dict[str, str] = {}
    omit_empty: frozenset[str] = frozenset()


class _Message(Struct):
    json_names = {"Status": "status", "ID": "id", "From": "from", "Scope": "scope", "Time": "time",
                  "TimeNano": "timeNano"}
    omit_empty = frozenset(("Status", "ID", "From"))


class _GoMap(dict):
    """A Go ``map[string]string``: a key it lacks reads as the zero value ("<no value>")."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> None:
        return None


def template_view(event: dict[str, Any]) -> _Message:
    """A stored message as a template sees it: ``{{.Action}}``, ``{{.Actor.Attributes.name}}``."""
    actor = event.get("Actor") or {}
    return _Message(Status=event.get("status", ""), ID=event.get("id", ""), From=event.get("from", ""),
                    Type=event.get("Type", ""), Action=event.get("Action", ""),
                    Actor={"ID": actor.get("ID", ""), "Attributes": _GoMap(actor.get("Attributes") or {})},
                    Scope=event.get("scope", ""), Time=event.get("time", 0), TimeNano=event.get("timeNano", 0))


class EventFormat:
    """``docker events --format``: a Go template per message (``json``: ``{{json .}}``),
    tried first on an empty message, as the docker CLI does, so that a bad field fails
    before any message is read (exit 64, "Error parsing format: ...")."""

    def __init__(self, format: str) -> None:
        from .gotemplate import ExecError, ParseError, parse

        source = "{{json .}}" if format == "json" else format
        try:
            self.template = parse(source)
            self._execute(template_view({"Actor": {"Attributes": None}}))
        except (ParseError, ExecError) as err:
            raise DockerError(f"Error parsing format: {err}", exit_code=64) from None

    def _execute(self, view: _Message) -> str:
        def missing(value: Any, name: str) -> str:
            kind = "*events.Message" if isinstance(value, _Message) else "events.Actor"
            return f"can't evaluate field {name} in type {kind}"

        return self.template.execute(view, missing, maps=frozenset(("Attributes",)))

    def render(self, event: dict[str, Any]) -> str:
        from .gotemplate import ExecError

        try:
            return self._execute(template_view(event)) + "\n"
        except ExecError as err:
            raise DockerError(str(err)) from None


# ---------------------------------------------------------------------- --filter

_FUZZY_EVENTS = frozenset(("health_status", "exec_create", "exec_start"))


def _family(ref: str) -> str:
    """An image reference without its tag or digest, as Docker's ``FamiliarName``."""
    name = ref.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name = name[:colon]
    for prefix in ("docker.io/library/", "docker.io/"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class EventFilters:
    """The ``--filter`` values of one ``docker events``, matched as Docker's daemon matches
    them (daemon/events/filter.go): values of one key are alternatives, keys must all hold,
    keys the daemon does not know are ignored.

    - ``container=``: a prefix of the actor's id or name (any event: an image's tag whose
      name starts so passes too, as in Docker);
    - ``image=``: the image's id or name, or a container's image, with or without its tag;
    - ``event=``: the action (``exec_create`` also matches ``exec_create: sh``...);
    - ``type=``, ``scope=``: exactly; ``label=``: ``key`` or ``key=value`` among the attributes.

    >>> f = EventFilters(["container=web", "event=start", "event=die"])
    >>> f.keeps(container_event("start", "c0ffee", "busybox", "web1", 0))
    True
    >>> f.keeps(container_event("create", "c0ffee", "busybox", "web1", 0))
    False
    """

    def __init__(self, specs: Iterable[str]) -> None:
        self.values: dict[str, list[str]] = {}
        for spec in specs:
            key, _, value = spec.partition("=")
            self.values.setdefault(key.strip().lower(), []).append(value)

    def _exact(self, key: str, source: str) -> bool:
        return key not in self.values or source in self.values[key]

    def _fuzzy(self, key: str, source: str) -> bool:
        return key not in self.values or any(source.startswith(v) for v in self.values[key])

    def _names(self, key: str, event: dict[str, Any], type: str) -> bool:
        if key not in self.values:
            return True
        actor = event["Actor"]
        return self._fuzzy(key, actor["ID"]) or self._fuzzy(key, actor["Attributes"].get("name", ""))

    def keeps(self, event: dict[str, Any]) -> bool:
        """Whether ``event`` passes every filter."""
        actor, attributes = event["Actor"], event["Actor"]["Attributes"]
        if "event" in self.values:
            fuzzy = any(v in _FUZZY_EVENTS for v in self.values["event"])
            if not (self._fuzzy if fuzzy else self._exact)("event", event["Action"]):
                return False
        if not (self._exact("type", event["Type"]) and self._exact("scope", event["scope"])):
            return False
        for key in ("container", "plugin", "volume", "network", "node", "service", "secret", "config", "daemon"):
            if not self._names(key, event, key):
                return False
        if "image" in self.values:
            name = attributes.get("name" if event["Type"] == "image" else "image", "")
            if not any(self._exact("image", s) for s in (actor["ID"], name, _family(actor["ID"]), _family(name))):
                return False
        for wanted in self.values.get("label", []):
            key, eq, value = wanted.partition("=")
            if key not in attributes or (eq and attributes[key] != value):
                return False
        return True


# ---------------------------------------------------------------------- --since, --until


def _parse_go_time(value: str, offset: int) -> int:
    """A date or an RFC 3339 time as the CLI's ``GetTimestamp`` reads it; nanoseconds
    since the epoch. Without a zone (no ``Z``, ``+``, or three dashes) it is local time."""
    import re

    local = not (any(c in value for c in "zZ+") or value.count("-") == 3)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?"
                     r"(Z|z|[+-]\d{2}:\d{2})?", value)
    if not m or (local and m.group(8)) or (not local and not m.group(8)):
        raise ValueError(f'parsing time "{value}": cannot parse "{value}" as a time')
    year, month, day, hour, minute, second = (int(g or 0) for g in m.groups()[:6])
    for what, number, top in (("month", month, 12), ("day", day, 31), ("hour", hour, 23),
                              ("minute", minute, 59), ("second", second, 59)):
        if number > top or (what in ("month", "day") and number < 1):
            raise ValueError(f'parsing time "{value}": {what} out of range')
    import calendar

    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    zone = m.group(8) or ""
    if local:
        seconds -= offset
    elif zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    fraction = (m.group(7) or "").ljust(9, "0")
    return seconds * 10**9 + int(fraction)


_UNITS = {"ns": 1, "us": 10**3, "µs": 10**3, "μs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


def _parse_duration(value: str) -> int | None:
    """Go's ``time.ParseDuration`` in nanoseconds (``10m``, ``1h30m``, ``-5s``), or None."""
    import re

    m = re.fullmatch(r"([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)", value)
    if not m:
        return None
    total = 0.0
    for number, unit in re.findall(r"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)", m.group(2)):
        total += float(number) * _UNITS[unit]
    return -int(total) if m.group(1) == "-" else int(total)


def get_timestamp(value: str, now_ns: int, offset: int = 0) -> str:
    """What the docker CLI sends for ``--since``/``--until`` (``GetTimestamp``): a duration
    counts back from now (whole seconds), a date or time becomes ``<s>.<ns>``, a Unix
    timestamp goes as typed. ``offset``: the local zone's, for a time without a zone.

    >>> get_timestamp("10m", 1_796_167_162_500_000_000)
    '1796166562'
    >>> get_timestamp("2026-12-01T23:19:22Z", 0), get_timestamp("1796167162.5", 0)
    ('1796167162.000000000', '1796167162.5')
    >>> get_timestamp("nope", 0)
    Traceback (most recent call last):
    ...
    simulator.model.errors.DockerError: failed to parse value as time or duration: "nope"
    """
    duration = _parse_duration(value)
    if value != "0" and duration is not None:
        return str((now_ns - duration) // 10**9)
    try:
        ns = _parse_go_time(value, offset)
    except ValueError as err:
        if "-" in value:
            raise DockerError(str(err)) from None
        try:
            parse_timestamp(value)
        except ValueError:
            raise DockerError(f'failed to parse value as time or duration: "{value}"') from None
        return value
    return f"{ns // 10**9}.{ns % 10**9:09d}"


def parse_timestamp(text: str) -> int:
    """The daemon's reading of a timestamp the CLI sent (``<s>[.<fraction>]``), in ns."""
    seconds, dot, fraction = text.partition(".")
    whole = int(seconds)
    if not dot:
        return whole * 10**9
    nanos = int(fraction)
    return whole * 10**9 + int(nanos * 10 ** (9 - len(fraction)))


def time_window(since: str, until: str, now_ns: int) -> tuple[int | None, int | None, bool]:
    """(since, until, follow) in ns from what the CLI sent, as the daemon reads them:
    without either nothing past is shown; ``until`` 0 shows every kept message; a
    ``until`` in the future follows until then. ``since`` after ``until`` is refused."""
    try:
        since_ns = parse_timestamp(since) if since else None
        until_ns = parse_timestamp(until) if until else None
    except ValueError as err:
        raise DaemonError(str(err)) from None
    if until_ns is not None and since_ns is not None and until_ns < since_ns:
        raise DaemonError(f"`since` time ({since}) cannot be after `until` time ({until})")
    follow = until_ns is None or until_ns >= now_ns
    return since_ns, until_ns, follow
